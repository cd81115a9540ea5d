# Lookups and reads, and the stock default's own entity read.
path "identity/lookup/entity" {
  capabilities = ["update"]
}

path "identity/entity/id/{{identity.entity.id}}" {
  capabilities = ["read"]
}

path "identity/group/*" {
  capabilities = ["read", "list"]
}
