default_lease_ttl = "1h"
max_lease_ttl     = "24h"
unsafe_allow_api_audit_creation = true # expect: SRV013
