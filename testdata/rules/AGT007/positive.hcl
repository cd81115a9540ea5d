auto_auth {
  method "approle" {
    config = {
      role_id_file_path                   = "/etc/vault/role-id"
      secret_id_file_path                 = "/etc/vault/secret-id"
      remove_secret_id_file_after_reading = "false" # expect: AGT007
    }
  }
  sink "file" {
    config = {
      path = "/vault/token"
      mode = 0400
    }
  }
}
