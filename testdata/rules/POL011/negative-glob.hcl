# A broader metadata glob of the same policy grants the listing.
path "secret/data/team/+/config" {
  capabilities = ["read", "list"]
}
path "secret/metadata/*" {
  capabilities = ["list"]
}
