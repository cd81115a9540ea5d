resource "vault_kubernetes_auth_backend_role" "any" {
  role_name                        = "any"
  bound_service_account_names      = ["*"] # expect: ROL002
  bound_service_account_namespaces = ["production"]
  audience                         = "vault"
  token_ttl                        = 3600
  token_max_ttl                    = 14400
}
