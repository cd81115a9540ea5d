default_lease_ttl = "1h"
max_lease_ttl     = "24h"
storage "raft" { # expect: SRV003
  path = "/vault/data"
}
listener "tcp" {
  address       = "[::]:8200"
  tls_cert_file = "/vault/tls/tls.crt"
  tls_key_file  = "/vault/tls/tls.key"
}
