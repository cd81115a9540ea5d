auto_auth {
  method "kubernetes" {
    config = { role = "app" }
  }
  sink "file" {
    config = {
      path = "/home/vault/.vault-token"
      mode = 0400
    }
  }
  sink "file" {
    config = {
      path = "/home/vault/token-600"
      mode = 384
    }
  }
  sink "file" {
    config = {
      path = "/home/vault/token-none"
      mode = 0
    }
  }
  # A quoted mode stops the agent ("could not parse 'mode' as integer"): nothing written.
  sink "file" {
    config = {
      path = "/home/vault/token-quoted"
      mode = "0644"
    }
  }
}
