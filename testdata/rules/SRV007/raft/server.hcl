seal "awskms" {
  kms_key_id = "alias/vault"
}
disable_mlock = true
storage "raft" {
  path = "/vault/data"
}
