seal "transit" {
  address         = "https://transit.example.com:8200"
  key_name        = "autounseal"
  tls_skip_verify = "true" # expect: SRV009
}
storage "raft" {
  path = "/vault/data"
}
