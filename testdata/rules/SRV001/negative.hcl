listener "tcp" { # expect: SRV006
  address       = "[::]:8200"
  tls_cert_file = "/vault/tls/tls.crt"
  tls_key_file  = "/vault/tls/tls.key"
  tls_disable   = false
}

listener "tcp" {
  address     = "0.0.0.0:8300"
  tls_disable = 0
}

listener "unix" {
  address     = "/run/vault.sock"
  tls_disable = true
}

storage "raft" { # expect: SRV003
  path = "/vault/data"
}
