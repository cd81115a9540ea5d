provider "vault" {
  address         = "http://vault.internal:8200" # expect: ROL008
  skip_tls_verify = true # expect: ROL008
}

provider "vault" {
  alias           = "dr"
  address         = "https://vault-dr.internal:8200"
  skip_tls_verify = "1" # expect: ROL008
}
