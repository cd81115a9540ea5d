resource "aws_vpc_endpoint" "org_condition" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.ep.id]
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "*"
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
    }]
  })
}

# seed000's pattern: allow, then deny every principal outside the account.
resource "aws_vpc_endpoint" "deny_outside" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.ep.id]
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "*", Resource = "*" },
      {
        Effect    = "Deny"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = { StringNotEquals = { "aws:PrincipalAccount" = "123456789012" } }
      },
    ]
  })
}

# Not literal: a note, no finding.
resource "aws_vpc_endpoint" "document" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.us-east-1.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.ep.id]
  policy              = data.aws_iam_policy_document.endpoint.json
}
