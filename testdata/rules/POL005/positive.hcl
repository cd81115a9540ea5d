path "identity/group/*" { # expect: POL005
  capabilities = ["create", "update"]
}

path "identity/entity-alias" { # expect: POL005
  capabilities = ["create"]
}
