# The deny is the more specific rule: it governs the admin paths.
path "secret/data/app/*" {
  capabilities = ["read"]
}

path "secret/data/app/admin/*" {
  capabilities = ["deny"]
}

# Identical paths merge: deny wins.
path "secret/data/shared" {
  capabilities = ["read"]
}

path "secret/data/shared" {
  capabilities = ["deny"]
}
