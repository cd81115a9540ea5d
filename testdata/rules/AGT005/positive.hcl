# seed000's shape: the sink sits at top level and is never read.
auto_auth {
  method "kubernetes" {
    config = { role = "app" }
  }
}
sink "file" { # expect: AGT005
  config = {
    path = "/vault/token"
    mode = 0400
  }
}
