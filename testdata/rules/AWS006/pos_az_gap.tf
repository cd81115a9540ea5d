resource "aws_vpc" "gap" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_subnet" "gap_a" {
  vpc_id            = aws_vpc.gap.id
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "gap_b" {
  vpc_id            = aws_vpc.gap.id
  availability_zone = "us-east-1b"
}

resource "aws_vpc_endpoint" "gap" {
  vpc_id              = aws_vpc.gap.id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.gap_a.id] # expect: AWS006
  security_group_ids  = [aws_security_group.ep.id]
  policy              = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"
}

resource "aws_security_group" "ep" {
  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}
