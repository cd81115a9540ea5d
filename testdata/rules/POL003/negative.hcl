# Trap: the token store has no existence check; `create` alone mints nothing.
path "auth/token/create" {
  capabilities = ["create"]
}

path "auth/token/roles/*" {
  capabilities = ["read", "list"]
}

path "auth/token/lookup-self" {
  capabilities = ["read"]
}
