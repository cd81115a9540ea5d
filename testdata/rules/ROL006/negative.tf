resource "vault_approle_auth_backend_role" "deploy" {
  role_name          = "deploy"
  bind_secret_id     = true
  secret_id_ttl      = 600
  secret_id_num_uses = 1
  token_ttl          = 1800
  token_max_ttl      = 3600
}
