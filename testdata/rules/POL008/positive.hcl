# The deny never matches: `*` is literal here.
path "secret/data/*/admin" { # expect: POL008
  capabilities = ["deny"]
}

path "secret/metadata/*/config" { # expect: POL008
  capabilities = ["read"]
}
