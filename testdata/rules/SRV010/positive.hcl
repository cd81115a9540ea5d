default_lease_ttl = "1h"
max_lease_ttl     = "24h"
listener "tcp" {
  address                  = "[::]:8200"
  tls_cert_file            = "/vault/tls/tls.crt"
  tls_key_file             = "/vault/tls/tls.key"
  tls_disable_client_certs = true # expect: SRV010
}
