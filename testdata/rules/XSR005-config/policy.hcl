# .sealant.yaml declares secret/ as KV v1 and kv/ as KV v2.
path "secret/myapp/*" {
  capabilities = ["read"]
}
path "secret/data/myapp/*" { # expect: XSR005
  capabilities = ["read"]
}
path "kv/myapp/*" { # expect: XSR005
  capabilities = ["read"]
}
path "kv/data/myapp/*" {
  capabilities = ["read"]
}
