auto_auth {
  method "token_file" { # expect: AGT008
    config = {
      token_file_path = "/etc/vault/token"
    }
  }
  sink "file" {
    config = {
      path = "/vault/token"
      mode = 0400
    }
  }
}
