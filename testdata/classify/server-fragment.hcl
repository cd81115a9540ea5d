listener "tcp" {
  address = "[::]:8200"
  tls_cert_file = "/t/tls.crt"
  tls_key_file = "/t/tls.key"
}
