path "secret/data/app/*" {
  capabilities = ["read"]
  min_wrapping_ttl = "2h" # expect: POL014
  max_wrapping_ttl = "1h"
}

path "secret/data/users/{{identity.entity.ip}}/*" { # expect: POL014
  capabilities = ["read"]
}
