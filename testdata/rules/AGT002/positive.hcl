vault {
  address = "http://vault.vault.svc:8200" # expect: AGT002
}
auto_auth {
  method "approle" {
    config = {
      role_id_file_path = "/etc/vault/role-id"
    }
  }
}
