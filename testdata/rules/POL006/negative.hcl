# Stock default-policy endpoints and read-only listings.
path "sys/leases/renew" {
  capabilities = ["update"]
}

path "sys/leases/lookup" {
  capabilities = ["update"]
}

path "sys/mounts" {
  capabilities = ["read"]
}

path "sys/audit/+" {
  capabilities = ["update"]
}

path "sys/raw/*" {
  capabilities = ["deny"]
}
