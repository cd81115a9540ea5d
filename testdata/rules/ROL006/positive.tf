resource "vault_approle_auth_backend_role" "no_secret" {
  role_name      = "no-secret"
  bind_secret_id = false # expect: ROL006
  token_ttl      = 1800
  token_max_ttl  = 3600
}

# secret_id_ttl and secret_id_num_uses unset: never expire, unlimited uses.
resource "vault_approle_auth_backend_role" "defaults" { # expect: ROL006, ROL006
  role_name     = "defaults"
  token_ttl     = 1800
  token_max_ttl = 3600
}
