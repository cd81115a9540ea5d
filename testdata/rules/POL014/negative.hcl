path "secret/data/app/*" {
  capabilities = ["read", "list"] # expect: POL011
  min_wrapping_ttl = "1m"
  max_wrapping_ttl = "1h"
}

path "secret/data/users/{{identity.entity.id}}/*" {
  capabilities = ["read", "update"]
}

path "transit/encrypt/app" {
  capabilities = ["update"]
  allowed_parameters = {
    "*" = []
  }
}
