# Grants a sibling team's secrets.
path "secret/data/team-b/*" {
  capabilities = ["read"]
}
