# A VPC without subnets hosts no workload.
resource "aws_vpc" "empty" {
  cidr_block = "10.5.0.0/16"
}

# Served by a centrally shared endpoint (sealant-test.yaml lists it).
resource "aws_vpc" "central" {
  cidr_block = "10.6.0.0/16"
}

resource "aws_subnet" "central_a" {
  vpc_id = aws_vpc.central.id
}

resource "aws_route_table" "central" {
  vpc_id = aws_vpc.central.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.central.id
  }
}

resource "aws_main_route_table_association" "central" {
  vpc_id         = aws_vpc.central.id
  route_table_id = aws_route_table.central.id
}

# Egress through a transit gateway only: indirect, a note rather than a finding.
resource "aws_vpc" "spoke" {
  cidr_block = "10.7.0.0/16"
}

resource "aws_subnet" "spoke_a" {
  vpc_id = aws_vpc.spoke.id
}

resource "aws_route_table" "spoke" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = var.tgw_id
  }
}

resource "aws_route_table_association" "spoke_a" {
  subnet_id      = aws_subnet.spoke_a.id
  route_table_id = aws_route_table.spoke.id
}
