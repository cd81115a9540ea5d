resource "aws_vpc" "good" {
  cidr_block           = "10.4.0.0/16"
  enable_dns_hostnames = true
}

resource "aws_subnet" "good_a" {
  vpc_id = aws_vpc.good.id
}

resource "aws_route_table" "good" {
  vpc_id = aws_vpc.good.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.good.id
  }
}

resource "aws_route_table_association" "good_a" {
  subnet_id      = aws_subnet.good_a.id
  route_table_id = aws_route_table.good.id
}

resource "aws_vpc_endpoint" "good_sm" {
  vpc_id              = aws_vpc.good.id
  service_name        = "com.amazonaws.${var.region}.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.good_a.id]
  security_group_ids  = [aws_security_group.good_sm.id]
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.app.arn }
      Action    = ["secretsmanager:GetSecretValue"]
      Resource  = "*"
    }]
  })
}

resource "aws_security_group" "good_sm" {
  vpc_id = aws_vpc.good.id
  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}
