path "auth/token/lookup-self" {
  capabilities = ["read"]
}

path "secret/data/shared/*" { # expect: POL015
  capabilities = ["read"]
}
