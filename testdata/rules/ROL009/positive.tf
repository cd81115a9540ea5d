resource "vault_mount" "kvv2" {
  path    = "apps"
  type    = "kv" # expect: ROL009
  options = { version = "2" }
}

resource "vault_mount" "kvv1" {
  path = "old"
  type = "kv" # expect: ROL009
}
