listener "tcp" {
  address         = "[::]:8200"
  tls_cert_file   = "/vault/tls/tls.crt"
  tls_key_file    = "/vault/tls/tls.key"
  tls_min_version = "tls12"
}
# TLS disabled: SRV001's fact, the version settings are moot.
listener "tcp" {
  address         = "127.0.0.1:8300"
  tls_disable     = 1 # expect: SRV001
  tls_min_version = "tls10"
}
