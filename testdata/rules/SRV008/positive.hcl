api_addr     = "http://vault.example.com:8200" # expect: SRV008
cluster_addr = "https://vault-0.vault-internal:8201"

storage "raft" {
  path = "/vault/data"
  retry_join {
    leader_api_addr = "http://vault-0.vault-internal:8200" # expect: SRV008
  }
  retry_join {
    leader_api_addr = "https://vault-1.vault-internal:8200"
  }
}

ha_storage "consul" {
  address = "http://consul.service:8500" # expect: SRV008
  scheme  = "http" # expect: SRV008
}

seal "transit" {
  address    = "http://transit.example.com:8200" # expect: SRV008
  key_name   = "autounseal"
  mount_path = "transit/"
}
