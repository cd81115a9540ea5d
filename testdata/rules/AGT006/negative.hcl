vault {
  address = "https://vault.example.com:8200"
}
template {
  source      = "/etc/vault/db.tpl"
  destination = "/etc/app/db.env"
  perms       = 0400
}
template {
  source      = "/etc/vault/key.tpl"
  destination = "/etc/app/key"
  perms       = "600"
}
