default_lease_ttl = "1h"
max_lease_ttl     = 86400
