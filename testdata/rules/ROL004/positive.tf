resource "vault_mount" "db" {
  path = "postgres"
  type = "database"
}

resource "vault_database_secret_backend_role" "zero" {
  backend     = vault_mount.db.path
  name        = "zero"
  db_name     = "app"
  default_ttl = 3600
  max_ttl     = 0 # expect: ROL004
}
