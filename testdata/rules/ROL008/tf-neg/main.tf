provider "vault" {
  address         = "https://vault.internal:8200"
  skip_tls_verify = false
  ca_cert_file    = "/etc/vault/ca.pem"
}

provider "vault" {
  alias   = "local"
  address = "http://127.0.0.1:8200"
}

provider "vault" {
  alias           = "from-vars"
  address         = var.vault_addr
  skip_tls_verify = var.skip_tls_verify
}

provider "aws" {
  insecure = true
}
