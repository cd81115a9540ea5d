path "secret/data/+*" { # expect: POL014
  capabilities = ["read"]
}
