# Scoped to one app; the stock cubbyhole grant is per token.
path "secret/data/team-a/app/*" {
  capabilities = ["read"]
}

path "cubbyhole/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "kv/*" {
  capabilities = ["deny"]
}
