# Trap: a root-equivalent deny is not a grant.
path "*" {
  capabilities = ["deny"]
}

# Mount-agnostic but not everything: matches only data/ paths of any mount.
path "+/data/app/*" {
  capabilities = ["read"]
}
