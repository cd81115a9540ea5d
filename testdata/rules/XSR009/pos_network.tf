resource "aws_vpc" "eks" { # expect: AWS001
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "eks_a" {
  vpc_id = aws_vpc.eks.id
}

resource "aws_route_table" "eks" {
  vpc_id = aws_vpc.eks.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.eks.id
  }
}

resource "aws_main_route_table_association" "eks" {
  vpc_id         = aws_vpc.eks.id
  route_table_id = aws_route_table.eks.id
}
