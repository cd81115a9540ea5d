resource "vault_policy" "billing" {
  name   = "billing-reader"
  policy = file("${path.module}/policies/billing.hcl")
}
