# No Internet path and no endpoint: info, Secrets Manager is unreachable from here.
resource "aws_vpc" "isolated" { # expect: AWS001
  cidr_block = "10.3.0.0/16"
}

resource "aws_subnet" "isolated_a" {
  vpc_id = aws_vpc.isolated.id
}
