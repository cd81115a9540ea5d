path "secret/data/users/{{identity.entity.name}}/*" { # expect: POL016
  capabilities = ["read"]
}

path "secret/data/teams/{{identity.groups.names.ops.metadata.team}}/*" { # expect: POL016
  capabilities = ["read"]
}

path "secret/data/sa/{{identity.entity.aliases.auth_kubernetes_1a2b.metadata.service_account_name}}" { # expect: POL016
  capabilities = ["read"]
}
