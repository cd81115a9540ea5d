default_lease_ttl = "1h"
max_lease_ttl     = "24h"
introspection_endpoint = true # expect: SRV014
