resource "vault_auth_backend" "k8s_untuned" {
  type = "kubernetes"
  path = "k8s-untuned"
}

# Unset TTLs inherit: auth mount tune unset → server unset → 768h.
resource "vault_kubernetes_auth_backend_role" "unset" { # expect: ROL003
  backend                          = vault_auth_backend.k8s_untuned.path
  role_name                        = "unset"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["prod"]
  audience                         = "vault"
}

resource "vault_auth_backend" "k8s_loose" {
  type = "kubernetes"
  path = "k8s-loose"
  tune {
    default_lease_ttl = "1h"
    max_lease_ttl     = "8760h"
  }
}

# Inherits the tuned mount's long max.
resource "vault_kubernetes_auth_backend_role" "loose" { # expect: ROL003
  backend                          = vault_auth_backend.k8s_loose.path
  role_name                        = "loose"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["prod"]
  audience                         = "vault"
}

resource "vault_kubernetes_auth_backend_role" "periodic" {
  backend                          = "k8s-untuned"
  role_name                        = "periodic"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["prod"]
  audience                         = "vault"
  token_period                     = 86400 # expect: ROL003
}

resource "vault_kubernetes_auth_backend_role" "zero" {
  backend                          = "k8s-untuned"
  role_name                        = "zero"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["prod"]
  audience                         = "vault"
  token_ttl                        = 3600
  token_max_ttl                    = 0 # expect: ROL003
}

resource "vault_jwt_auth_backend_role" "ci" {
  role_name     = "ci"
  user_claim    = "sub"
  token_ttl     = 3600
  token_max_ttl = 604800 # expect: ROL003
}
