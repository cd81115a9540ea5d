default_lease_ttl = "1h"
max_lease_ttl     = "24h"
ui = true # expect: SRV011
