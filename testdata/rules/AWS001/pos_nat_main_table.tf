# Private subnets without an association use the main table, whose default route goes
# through a NAT gateway: egress still reaches the public Secrets Manager endpoint.
resource "aws_vpc" "private" { # expect: AWS001
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "private_a" {
  vpc_id = aws_vpc.private.id
}

resource "aws_default_route_table" "private" {
  default_route_table_id = aws_vpc.private.default_route_table_id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.private.id
  }
}
