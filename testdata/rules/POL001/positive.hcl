# Root-equivalent patterns: each matches sys/, auth/ and every secrets engine.
path "*" { # expect: POL001
  capabilities = ["read", "list"]
}

path "+/*" { # expect: POL001
  capabilities = ["read"]
}

path "+" { # expect: POL001
  capabilities = ["list"]
}

path "+/+/*" { # expect: POL001
  capabilities = ["read"]
}
