resource "vault_kubernetes_auth_backend_role" "app" {
  role_name                        = "app"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["production"]
  audience                         = "vault"
  token_ttl                        = 3600
  token_max_ttl                    = 14400
  token_policies                   = ["app", "guard"]
}
