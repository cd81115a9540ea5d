locals {
  restrictive = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::123456789012:role/app" }, Action = "secretsmanager:GetSecretValue", Resource = "*" }]
  })
}

# private_dns_enabled defaults to false.
resource "aws_vpc_endpoint" "omitted" { # expect: AWS002
  vpc_id             = var.vpc_id
  service_name       = "com.amazonaws.eu-west-1.secretsmanager"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_security_group.ep.id]
  policy             = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"
}

resource "aws_vpc_endpoint" "disabled" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.eu-west-1.secretsmanager-fips"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false # expect: AWS002
  security_group_ids  = [aws_security_group.ep.id]
  policy              = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"
}

resource "aws_security_group" "ep" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
