listener "tcp" {
  address     = "127.0.0.1:8100"
  tls_disable = true
}
listener "tcp" {
  address       = "0.0.0.0:8443"
  tls_cert_file = "/etc/agent/tls.crt"
  tls_key_file  = "/etc/agent/tls.key"
}
cache {}
