pid_file = "/tmp/pidfile"

vault {
  address         = "https://vault.example.com:8200"
  tls_skip_verify = true # expect: AGT001
}

auto_auth {
  method "kubernetes" {
    mount_path = "auth/kubernetes"
    config = {
      role = "app"
    }
  }
  sink "file" { # expect: AGT004
    config = {
      path = "/home/vault/.vault-token"
    }
  }
}
