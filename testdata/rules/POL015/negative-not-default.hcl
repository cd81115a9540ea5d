# Not the default policy: grants here are judged by other rules.
path "secret/data/shared/*" {
  capabilities = ["read"]
}
