# Vault refuses to start: days only as a pure integer.
max_lease_ttl = "7d12h" # expect: SRV006
