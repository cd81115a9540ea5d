path "secret/data/app/*" {
  capabilities = ["read", "deny"] # expect: POL013
}

path "secret/data/legacy/*" {
  capabilities = ["read"]
  policy = "deny" # expect: POL013
}
