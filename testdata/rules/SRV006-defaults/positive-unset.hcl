# expect: SRV006
storage "raft" { # expect: SRV003
  path = "/vault/data"
}
listener "tcp" {
  address       = "0.0.0.0:8200"
  tls_cert_file = "/vault/tls/tls.crt"
  tls_key_file  = "/vault/tls/tls.key"
}
