default_lease_ttl = "1h"
max_lease_ttl     = "24h"
raw_storage_endpoint = "true" # expect: SRV004
