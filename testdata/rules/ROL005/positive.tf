resource "vault_kubernetes_auth_backend_role" "no_aud" { # expect: ROL005
  role_name                        = "no-aud"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["prod"]
  token_ttl                        = 3600
  token_max_ttl                    = 14400
}
