path "secret/data/team-a/vso/*" {
  capabilities = ["read"]
}

path "database/creds/vso" {
  capabilities = ["read"]
}
