terraform {
  required_providers {
    vault = {
      source = "hashicorp/vault"
    }
  }
}

# The provider's token can usually write policies and mounts: it must verify Vault's
# certificate. Set ca_cert_file instead of skipping verification.
provider "vault" {
  address         = "http://vault.platform.internal:8200"
  skip_tls_verify = true
}

resource "vault_mount" "kv" {
  path = "secret"
  type = "kv-v2"
}
