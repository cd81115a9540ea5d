resource "vault_mount" "db_tuned" {
  path                      = "postgres-tuned"
  type                      = "database"
  default_lease_ttl_seconds = 1800
  max_lease_ttl_seconds     = 3600
}

# No TTLs on the role; the mount it inherits from is tuned to 30m/1h.
resource "vault_database_secret_backend_role" "inherits" {
  backend = vault_mount.db_tuned.path
  name    = "inherits"
  db_name = "app"
}

resource "vault_database_secret_backend_role" "short" {
  backend     = "database"
  name        = "short"
  db_name     = "app"
  default_ttl = 1800
  max_ttl     = 86400
}
