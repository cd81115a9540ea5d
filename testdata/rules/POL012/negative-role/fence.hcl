# Attached to a different role than reader.hcl: no token holds both.
path "secret/data/*" {
  capabilities = ["deny"]
}
