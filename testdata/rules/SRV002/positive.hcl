default_lease_ttl = "1h"
max_lease_ttl     = "24h"
listener "tcp" {
  address         = "[::]:8200"
  tls_cert_file   = "/vault/tls/tls.crt"
  tls_key_file    = "/vault/tls/tls.key"
  tls_min_version = "tls10" # expect: SRV002
}
listener "tcp" {
  address         = "[::]:8300"
  tls_cert_file   = "/vault/tls/tls.crt"
  tls_key_file    = "/vault/tls/tls.key"
  tls_max_version = "tls11" # expect: SRV002
}
