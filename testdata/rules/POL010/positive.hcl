path "secret/*" { # expect: POL010
  capabilities = ["read", "list"]
}

path "database/*" { # expect: POL010
  capabilities = ["read", "update"]
}
