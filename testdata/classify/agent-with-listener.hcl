vault {
  address = "https://vault:8200"
}
listener "tcp" {
  address = "127.0.0.1:8100"
  tls_disable = true
}
cache {}
