vault {
  address = "https://vault.example.com:8200"
}
auto_auth {
  method "kubernetes" {
    config = { role = "app" }
  }
}
api_proxy {
  use_auto_auth_token = "force"
}
listener "tcp" {
  address     = "0.0.0.0:8100" # expect: AGT003
  tls_disable = true
}
listener "tcp" {
  address     = "127.0.0.1:8200"
  tls_disable = true
}
listener "tcp" {
  address = "0.0.0.0:9102"
  role    = "metrics_only"
  tls_disable = true
}
