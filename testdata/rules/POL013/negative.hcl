path "secret/data/app/*" {
  capabilities = ["deny"]
}

path "secret/data/other/*" {
  capabilities = ["read", "list"] # expect: POL011
}
