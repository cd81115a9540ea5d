# OpenBao dropped mlock: disable_mlock = true is accepted and ignored.
seal "awskms" {
  kms_key_id = "alias/vault"
}
disable_mlock = true
unsafe_allow_api_audit_creation = false
storage "postgresql" {
  connection_url = "postgres://vault@db:5432/vault?sslmode=verify-full"
}
