path "secret/data/app/*" {
  capabilities = ["read"]
}

# A deny block with sudo in it keeps only the deny (POL013's finding, not a sudo grant).
path "secret/data/app/admin" {
  capabilities = ["deny"]
}
