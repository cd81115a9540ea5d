seal "transit" { # expect: SRV006
  address         = "https://transit.example.com:8200"
  tls_ca_cert     = "/vault/tls/ca.crt"
  tls_skip_verify = "false"
}
seal "awskms" {
  region          = "us-east-1"
  tls_skip_verify = "true"
}
