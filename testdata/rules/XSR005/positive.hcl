# Nothing in this scan set declares secret/: it is assumed KV v2 (dev-server default).
path "secret/myapp/*" { # expect: XSR005
  capabilities = ["create", "read", "update", "delete", "list"]
}

# hashicorp/vault#8662: a deny without data/ on a v2 mount denies nothing.
path "secret/myapp/admin" { # expect: XSR005
  capabilities = ["deny"]
}
