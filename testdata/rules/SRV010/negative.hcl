# Client certificates requested (cert login works); without the org option, not requiring
# them is not reported.
listener "tcp" {
  address            = "[::]:8300"
  tls_cert_file      = "/vault/tls/tls.crt"
  tls_key_file       = "/vault/tls/tls.key"
  tls_client_ca_file = "/vault/tls/clients.crt"
}
