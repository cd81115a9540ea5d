# The injector's own shape: the auto-auth token only on loopback and a unix socket.
auto_auth {
  method "kubernetes" {
    config = { role = "app" }
  }
}
cache {
  use_auto_auth_token = true
}
listener "tcp" {
  address     = "127.0.0.1:8100"
  tls_disable = true
}
listener "unix" {
  address     = "/vault/agent.sock"
  tls_disable = true
}
listener "tcp" {
  tls_disable = true
}
