seal "awskms" {
  kms_key_id = "alias/vault"
}
