vault {
  address = "https://vault.example.com:8200"
}
listener "tcp" {
  address     = "0.0.0.0:8100"
  tls_disable = "true" # expect: AGT009
}
cache {}
