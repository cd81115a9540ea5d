path "auth/token/create" { # expect: POL003
  capabilities = ["update", "sudo"] # expect: POL007
}

path "auth/token/create-orphan" { # expect: POL003
  capabilities = ["update"]
}

path "auth/token/roles/*" { # expect: POL003
  capabilities = ["create", "read"]
}
