resource "vault_token" "deploy" {
  policies         = ["deploy"]
  ttl              = "30m"
  explicit_max_ttl = "1h"
}
