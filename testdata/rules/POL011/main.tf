resource "vault_mount" "v1" {
  path = "v1kv"
  type = "kv" # expect: ROL009
}

resource "vault_policy" "tf" {
  name   = "tf"
  policy = <<EOT
path "v1kv/data/x" { # expect: XSR005
  capabilities = ["list"]
}
path "secret/data/tf/*" {
  capabilities = ["list"] # expect: POL011
}
EOT
}
