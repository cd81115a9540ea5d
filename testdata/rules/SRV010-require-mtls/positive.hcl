default_lease_ttl = "1h"
max_lease_ttl     = "24h"
listener "tcp" { # expect: SRV010
  address            = "[::]:8200"
  tls_cert_file      = "/vault/tls/tls.crt"
  tls_key_file       = "/vault/tls/tls.key"
  tls_client_ca_file = "/vault/tls/clients.crt"
}
listener "tcp" {
  address                            = "[::]:8300"
  tls_cert_file                      = "/vault/tls/tls.crt"
  tls_key_file                       = "/vault/tls/tls.key"
  tls_client_ca_file                 = "/vault/tls/clients.crt"
  tls_require_and_verify_client_cert = "true"
}
# Without a cert auth method in the scan set, tls_disable_client_certs is not reported.
listener "tcp" {
  address                  = "127.0.0.1:8400"
  tls_cert_file            = "/vault/tls/tls.crt"
  tls_key_file             = "/vault/tls/tls.key"
  tls_disable_client_certs = true
}
