# No policy: the default endpoint policy allows everything.
resource "aws_vpc_endpoint" "nopolicy" { # expect: AWS004
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.ep.id]
}

resource "aws_vpc_endpoint" "heredoc" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.ep.id]
  policy              = <<EOT
{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
EOT
}

resource "aws_vpc_endpoint" "jsonencoded" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.ep.id]
  policy = jsonencode({ # expect: AWS004
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = ["*"] }
      Action    = "secretsmanager:*"
      Resource  = "*"
    }]
  })
}

resource "aws_security_group" "ep" {
  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}
