# The default deletes the file; without a secret-ID file the setting is never read.
auto_auth {
  method "approle" {
    config = {
      role_id_file_path                   = "/etc/vault/role-id"
      remove_secret_id_file_after_reading = false
    }
  }
  sink "file" {
    config = {
      path = "/vault/token"
      mode = 0400
    }
  }
}
