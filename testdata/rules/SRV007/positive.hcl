default_lease_ttl = "1h"
max_lease_ttl     = "24h"
seal "awskms" {
  kms_key_id = "alias/vault"
}
disable_mlock = true # expect: SRV007
storage "consul" {
  address = "127.0.0.1:8500"
}
