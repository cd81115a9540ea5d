path "sys/policies/acl/*" { # expect: POL002
  capabilities = ["create", "update", "read"]
}

path "sys/policy/+" { # expect: POL002
  capabilities = ["patch"]
}
