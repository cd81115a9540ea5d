path "secret/data/app*" { # expect: POL009
  capabilities = ["read"]
}

path "secret/data/+/team*" { # expect: POL009
  capabilities = ["update"]
}
