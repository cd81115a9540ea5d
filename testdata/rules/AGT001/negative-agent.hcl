vault {
  address         = "https://vault.example.com:8200"
  ca_cert         = "/etc/vault/ca.crt"
  tls_skip_verify = false
}
cache {
  use_auto_auth_token = true
}
