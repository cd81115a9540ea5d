resource "vault_kubernetes_auth_backend_role" "open" {
  role_name                        = "open"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["*"] # expect: ROL001
  audience                         = "vault"
  token_ttl                        = 3600
  token_max_ttl                    = 14400
}

resource "vault_kubernetes_auth_backend_role" "empty_selector" {
  role_name                                = "empty-selector"
  bound_service_account_names              = ["app"]
  bound_service_account_namespace_selector = "{}" # expect: ROL001
  audience                                 = "vault"
  token_ttl                                = 3600
  token_max_ttl                            = 14400
}

# A label selector is reported at info, with the selector.
resource "vault_kubernetes_auth_backend_role" "labelled" {
  role_name                                = "labelled"
  bound_service_account_names              = ["app"]
  bound_service_account_namespace_selector = "{\"matchLabels\":{\"vault-access\":\"payments\"}}" # expect: ROL001
  audience                                 = "vault"
  token_ttl                                = 3600
  token_max_ttl                            = 14400
}
