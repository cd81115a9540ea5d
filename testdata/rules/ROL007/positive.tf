resource "vault_token" "admin" {
  policies  = ["root"] # expect: ROL007
  no_parent = true
  ttl       = "1h"
}

resource "vault_token" "periodic" {
  policies = ["deploy"]
  period   = "24h" # expect: ROL007
}
