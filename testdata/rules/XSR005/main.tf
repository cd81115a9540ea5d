resource "vault_mount" "apps" {
  path = "apps"
  type = "kv-v2" # expect: ROL009
}

resource "vault_mount" "legacy" {
  path = "legacy"
  type = "kv" # expect: ROL009
}

resource "vault_mount" "team" {
  path    = "team"
  type    = "kv" # expect: ROL009
  options = { version = "2" }
}

resource "vault_mount" "db" {
  path = "db"
  type = "database"
}

resource "vault_policy" "app" {
  name   = "app"
  policy = <<-EOT
    path "apps/billing/*" { # expect: XSR005
      capabilities = ["read", "list"]
    }
    path "apps/data/billing/*" {
      capabilities = ["read"]
    }
    path "legacy/data/billing" { # expect: XSR005
      capabilities = ["read"]
    }
    path "legacy/billing" {
      capabilities = ["read"]
    }
    path "team/billing" { # expect: XSR005
      capabilities = ["read"]
    }
    path "db/creds/billing" {
      capabilities = ["read"]
    }
  EOT
}

data "vault_policy_document" "ops" {
  rule {
    path         = "apps/ops/*" # expect: XSR005
    capabilities = ["read"]
  }
  rule {
    path         = "apps/data/ops/*"
    capabilities = ["read"]
  }
}
