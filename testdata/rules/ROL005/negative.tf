resource "vault_kubernetes_auth_backend_role" "aud" {
  role_name                        = "aud"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["prod"]
  audience                         = "https://vault.internal"
  token_ttl                        = 3600
  token_max_ttl                    = 14400
}
