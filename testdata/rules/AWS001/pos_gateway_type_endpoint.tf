# vpc_endpoint_type defaults to "Gateway", which Secrets Manager does not offer: this is no
# interface endpoint (and `terraform apply` fails on it).
resource "aws_vpc" "gwtype" { # expect: AWS001
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "gwtype_a" {
  vpc_id = aws_vpc.gwtype.id
}

resource "aws_route_table" "gwtype" {
  vpc_id = aws_vpc.gwtype.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = "igw-0875e08c9fe51d909"
  }
}

resource "aws_main_route_table_association" "gwtype" {
  vpc_id         = aws_vpc.gwtype.id
  route_table_id = aws_route_table.gwtype.id
}

resource "aws_vpc_endpoint" "gwtype_sm" {
  vpc_id       = aws_vpc.gwtype.id
  service_name = "com.amazonaws.us-east-1.secretsmanager"
}
