resource "vault_auth_backend" "cert" {
  type = "cert"
}
