resource "aws_vpc" "hostnames_default" { # expect: AWS003
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "a" {
  vpc_id              = aws_vpc.hostnames_default.id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.ep.id]
  policy              = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"
}

resource "aws_vpc" "support_off" {
  cidr_block           = "10.1.0.0/16"
  enable_dns_support   = false # expect: AWS003
  enable_dns_hostnames = true
}

resource "aws_vpc_endpoint" "b" {
  vpc_id              = aws_vpc.support_off.id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
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
