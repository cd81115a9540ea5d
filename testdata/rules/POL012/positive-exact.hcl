# seed002: an exact allow under a deny glob — the exact rule is consulted first.
path "secret/data/production/*" { # expect: POL012
  capabilities = ["deny"]
}

path "secret/data/production/db-credentials" {
  capabilities = ["read"]
}
