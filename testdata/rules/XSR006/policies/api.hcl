path "secret/data/team-a/api/*" {
  capabilities = ["read"]
}

path "pki/issue/api" {
  capabilities = ["update"]
}
