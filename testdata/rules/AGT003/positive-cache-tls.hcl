# The legacy cache stanza (no api_proxy stanza) decides; a TLS listener is high.
auto_auth {
  method "kubernetes" {
    config = { role = "app" }
  }
}
cache {
  use_auto_auth_token = 1
}
listener "tcp" {
  address       = "10.0.0.5:8100" # expect: AGT003
  tls_cert_file = "/etc/agent/tls.crt"
  tls_key_file  = "/etc/agent/tls.key"
}
