api_addr = "https://vault.example.com:8200"

storage "consul" {
  address = "127.0.0.1:8500"
  scheme  = "https"
}

storage "raft" {
  retry_join {
    leader_api_addr = "https://vault-0:8200"
  }
}

seal "transit" {
  address = "https://transit.example.com:8200"
}
