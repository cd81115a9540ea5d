vault {
  address         = "https://vault.example.com:8200"
  tls_skip_verify = true
  client_key      = "/etc/tls/key.pem"
}

template {
  destination = "/etc/app/token"
  contents    = "hvs.CANARYcanaryCANARYcanary0001"
}
