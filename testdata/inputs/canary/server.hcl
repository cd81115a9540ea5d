listener "tcp" {
  address     = "0.0.0.0:8200"
  tls_disable = true
}

storage "postgresql" {
  connection_url = "postgres://vault:CanaryDbPass99@db:5432/vault"
}

seal "awskms" {
  region     = "eu-west-1"
  access_key = "AKIACANARY0000000001"
  secret_key = "wJalrCANARYcanaryEXAMPLEKEYcanary0000000"
  kms_key_id = "alias/unseal"
}
