# Attached with app.hcl by the role in role.tf: this deny does not cover app's paths.
path "secret/data/*" { # expect: POL012
  capabilities = ["deny"]
}
