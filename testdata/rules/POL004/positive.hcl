path "sys/auth/*" { # expect: POL004
  capabilities = ["create", "update"]
}

path "auth/kubernetes/config" { # expect: POL004
  capabilities = ["update"]
}

path "auth/kubernetes/role/app" { # expect: POL004
  capabilities = ["update"]
}

path "auth/approle/role/+/secret-id" { # expect: POL004
  capabilities = ["update"]
}

path "auth/cert/*" { # expect: POL004
  capabilities = ["create", "update"]
}
