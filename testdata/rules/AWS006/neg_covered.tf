resource "aws_vpc" "covered" {
  cidr_block           = "10.1.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_subnet" "covered_a" {
  vpc_id            = aws_vpc.covered.id
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "covered_b" {
  vpc_id            = aws_vpc.covered.id
  availability_zone = "us-east-1b"
}

resource "aws_vpc_endpoint" "covered" {
  vpc_id              = aws_vpc.covered.id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.covered_a.id, aws_subnet.covered_b.id]
  security_group_ids  = [aws_security_group.ep.id]
  policy              = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"
}

# An AZ from a data source: a gap cannot be told, nothing is reported.
resource "aws_vpc" "unknown_az" {
  cidr_block           = "10.2.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_subnet" "unknown_a" {
  vpc_id            = aws_vpc.unknown_az.id
  availability_zone = data.aws_availability_zones.all.names[0]
}

resource "aws_subnet" "unknown_b" {
  vpc_id            = aws_vpc.unknown_az.id
  availability_zone = "us-east-1b"
}

resource "aws_vpc_endpoint" "unknown" {
  vpc_id              = aws_vpc.unknown_az.id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.unknown_b.id]
  security_group_ids  = [aws_security_group.ep.id]
  policy              = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/app\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}"
}
