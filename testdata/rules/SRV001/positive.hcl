ui = true # expect: SRV011

listener "tcp" {
  address     = "[::]:8200"
  tls_disable = 1 # expect: SRV001
}

listener "tcp" {
  address     = "0.0.0.0:8210"
  tls_disable = "true" # expect: SRV001
}

listener "tcp" {
  tls_disable = true # expect: SRV001
}

storage "raft" { # expect: SRV003
  path = "/vault/data"
}
