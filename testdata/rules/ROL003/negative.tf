resource "vault_auth_backend" "k8s_tuned" {
  type = "kubernetes"
  path = "k8s-tuned"
  tune {
    default_lease_ttl = "1h"
    max_lease_ttl     = "4h"
  }
}

# No TTLs on the role, but the mount it inherits from is tuned to 1h/4h.
resource "vault_kubernetes_auth_backend_role" "inherits_tuned" {
  backend                          = vault_auth_backend.k8s_tuned.path
  role_name                        = "inherits-tuned"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["prod"]
  audience                         = "vault"
}

# A role max above the mount max is truncated to it.
resource "vault_kubernetes_auth_backend_role" "truncated" {
  backend                          = vault_auth_backend.k8s_tuned.path
  role_name                        = "truncated"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["prod"]
  audience                         = "vault"
  token_max_ttl                    = 2592000
}

# Periodic, but with a hard cap.
resource "vault_kubernetes_auth_backend_role" "capped" {
  role_name                        = "capped"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["prod"]
  audience                         = "vault"
  token_period                     = 3600
  token_explicit_max_ttl           = 14400
}
