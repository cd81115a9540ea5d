storage "raft" { # expect: SRV003
  path = "/vault/data"
}
default_lease_ttl = "168h" # expect: SRV006
max_lease_ttl     = "8760h" # expect: SRV006
