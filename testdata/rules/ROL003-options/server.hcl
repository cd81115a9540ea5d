storage "raft" { # expect: SRV003
  path = "/vault/data"
}
default_lease_ttl = "4h" # expect: SRV006
max_lease_ttl     = "24h"
