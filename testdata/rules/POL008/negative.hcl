path "secret/data/+/admin" {
  capabilities = ["deny"]
}

path "secret/data/app/*" {
  capabilities = ["read"]
}
