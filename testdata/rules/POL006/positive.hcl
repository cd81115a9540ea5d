path "sys/raw/*" { # expect: POL006
  capabilities = ["read"]
}

path "sys/audit/+" { # expect: POL006
  capabilities = ["delete"]
}

path "sys/mounts/*" { # expect: POL006
  capabilities = ["create", "update"]
}

path "sys/leases/lookup/*" { # expect: POL006
  capabilities = ["list"]
}
