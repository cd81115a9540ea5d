path "secret/data/app/*" {
  capabilities = ["read", "lsit"] # expect: POL014
}
