# hashicorp/vault#8662: the broad deny does not override the more specific allow.
path "secret/*" { # expect: POL012
  capabilities = ["deny"]
}

path "secret/data/app/*" {
  capabilities = ["read"]
}
