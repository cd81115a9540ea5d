vault {
  address = "https://vault.example.com:8200"
  # weak decoding: a quoted "true" and 1 both count
  tls_skip_verify = "true" # expect: AGT001
}
template { # expect: AGT006
  source      = "/etc/tpl/db.ctmpl"
  destination = "/etc/secrets/db"
}
