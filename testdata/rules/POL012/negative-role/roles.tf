resource "vault_kubernetes_auth_backend_role" "reader" {
  role_name                        = "reader"
  bound_service_account_names      = ["reader"]
  bound_service_account_namespaces = ["production"]
  audience                         = "vault"
  token_ttl                        = 3600
  token_max_ttl                    = 14400
  token_policies                   = ["reader"]
}

resource "vault_kubernetes_auth_backend_role" "fence" {
  role_name                        = "fence"
  bound_service_account_names      = ["fence"]
  bound_service_account_namespaces = ["production"]
  audience                         = "vault"
  token_ttl                        = 3600
  token_max_ttl                    = 14400
  token_policies                   = ["fence", "missing-from-scan"]
}
