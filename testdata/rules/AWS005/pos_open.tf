resource "aws_vpc_endpoint" "sm" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.open.id, aws_security_group.rules.id]
  policy              = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"
}

resource "aws_security_group" "open" {
  ingress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["10.0.0.0/16", "0.0.0.0/0"] # expect: AWS005
    ipv6_cidr_blocks = ["::/0"] # expect: AWS005
  }
}

resource "aws_security_group" "rules" {}

resource "aws_vpc_security_group_ingress_rule" "all" {
  security_group_id = aws_security_group.rules.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0" # expect: AWS005
}

resource "aws_security_group_rule" "range" {
  type              = "ingress"
  security_group_id = aws_security_group.rules.id
  from_port         = 0
  to_port           = 65535
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"] # expect: AWS005
}

# Unusable: nothing admits 443.
resource "aws_vpc_endpoint" "closed" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.http_only.id] # expect: AWS005
  policy              = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"
}

resource "aws_security_group" "http_only" {
  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
