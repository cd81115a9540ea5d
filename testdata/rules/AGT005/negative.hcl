auto_auth {
  method "kubernetes" {
    config = { role = "app" }
  }
  sink "file" {
    config = {
      path = "/vault/token"
      mode = 0400
    }
  }
}
