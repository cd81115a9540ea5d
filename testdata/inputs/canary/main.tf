provider "vault" {
  address = "http://vault.example.com:8200"
  token   = "hvs.CANARYcanaryCANARYcanary0001"
}

provider "aws" {
  access_key = "AKIACANARY0000000001"
  secret_key = "wJalrCANARYcanaryEXAMPLEKEYcanary0000000"
}

resource "vault_kubernetes_auth_backend_role" "open" {
  role_name                        = "open"
  bound_service_account_names      = ["app"]
  bound_service_account_namespaces = ["*"]
  token_ttl                        = 3600
}

resource "vault_generic_secret" "db" {
  path      = "secret/db"
  data_json = "{\"password\": \"CanaryPassw0rd!\", \"url\": \"postgres://app:CanaryDbPass99@db:5432/app\"}"
}

resource "tls_self_signed_cert" "ca" {
  private_key_pem = <<EOT
-----BEGIN RSA PRIVATE KEY-----
MIIEcanaryPRIVATEkeyBODYcanaryCANARY000
-----END RSA PRIVATE KEY-----
EOT
}
