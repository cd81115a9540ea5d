resource "vault_kubernetes_auth_backend_role" "api" {
  backend                          = "kubernetes"
  role_name                        = "api"
  bound_service_account_names      = ["api"]
  bound_service_account_namespaces = ["team-a"]
  audience                         = "vault"
  token_ttl                        = 3600
  token_max_ttl                    = 14400
  token_policies                   = ["api", "team-b-reader"] # expect: XSR006
}

resource "vault_kubernetes_auth_backend_role" "vso" {
  backend                          = "kubernetes"
  role_name                        = "vso"
  bound_service_account_names      = ["vso"]
  bound_service_account_namespaces = ["team-a"]
  audience                         = "vault"
  token_ttl                        = 3600
  token_max_ttl                    = 14400
  token_policies                   = ["vso"]
}

# A policy the scan set does not have: 403s cannot be predicted for this role.
resource "vault_kubernetes_auth_backend_role" "partial" {
  backend                          = "kubernetes"
  role_name                        = "partial"
  bound_service_account_names      = ["partial"]
  bound_service_account_namespaces = ["team-a"]
  audience                         = "vault"
  token_ttl                        = 3600
  token_max_ttl                    = 14400
  token_policies                   = ["managed-elsewhere"]
}
