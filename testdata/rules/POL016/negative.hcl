path "secret/data/users/{{identity.entity.id}}/*" {
  capabilities = ["read"]
}

path "secret/data/teams/{{identity.groups.ids.9f3c.name}}/*" {
  capabilities = ["read"]
}

# The stock default policy's own block.
path "identity/entity/name/{{identity.entity.name}}" {
  capabilities = ["read"]
}
