storage "raft" { # expect: SRV003
  path = "/vault/data"
}
default_lease_ttl = "1h"
max_lease_ttl     = "4h"
