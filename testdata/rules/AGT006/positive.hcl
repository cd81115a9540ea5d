vault {
  address = "https://vault.example.com:8200"
}
template { # expect: AGT006
  source      = "/etc/vault/db.tpl"
  destination = "/etc/app/db.env"
}
template {
  contents    = "{{ with secret \"secret/data/app\" }}{{ .Data.data.key }}{{ end }}"
  destination = "/etc/app/key"
  perms       = "0640" # expect: AGT006
}
template {
  source      = "/etc/vault/c.tpl"
  destination = "/etc/app/c"
  perms       = 0604 # expect: AGT006
}
