path "secret/data/app/*" {
  capabilities = ["read"]
}

# Stock default-policy style, intentionally covering hash and hash/<algo>:
# lint:allow-prefix
path "sys/tools/hash*" {
  capabilities = ["update"]
}
