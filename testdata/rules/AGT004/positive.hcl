auto_auth {
  method "kubernetes" {
    config = { role = "app" }
  }
  sink "file" { # expect: AGT004
    config = {
      path = "/home/vault/.vault-token"
    }
  }
  sink "file" {
    config = {
      path = "/shared/token"
      mode = 0644 # expect: AGT004
    }
  }
  sink {
    type = "file"
    wrap_ttl = "5m"
    config {
      path = "/shared/wrapped-token"
      mode = 0640 # expect: AGT004
    }
  }
}
