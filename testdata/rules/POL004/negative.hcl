# Logging in and reading roles is not configuring the method.
path "auth/kubernetes/login" {
  capabilities = ["create", "update"]
}

path "auth/kubernetes/role/*" {
  capabilities = ["read", "list"]
}

path "sys/auth" {
  capabilities = ["read"]
}
