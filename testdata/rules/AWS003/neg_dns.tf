resource "aws_vpc" "both_on" {
  cidr_block           = "10.2.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_vpc_endpoint" "c" {
  vpc_id              = aws_vpc.both_on.id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.ep.id]
  policy              = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"
}

# Hostnames off, but no endpoint relies on private DNS here.
resource "aws_vpc" "no_private_dns" {
  cidr_block = "10.3.0.0/16"
}

# Not literal: not judged.
resource "aws_vpc" "from_var" {
  cidr_block           = "10.4.0.0/16"
  enable_dns_hostnames = var.dns
}

resource "aws_vpc_endpoint" "d" {
  vpc_id              = aws_vpc.from_var.id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.ep.id]
  policy              = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"
}
