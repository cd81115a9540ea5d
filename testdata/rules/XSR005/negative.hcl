path "secret/data/myapp/*" {
  capabilities = ["read"]
}
path "secret/metadata/myapp/*" {
  capabilities = ["list"]
}
path "secret/delete/myapp/*" {
  capabilities = ["update"]
}
path "/secret/undelete/myapp/*" {
  capabilities = ["update"]
}
path "secret/destroy/myapp/*" {
  capabilities = ["update"]
}
path "secret/subkeys/myapp/*" {
  capabilities = ["read"]
}
path "secret/config" {
  capabilities = ["read"]
}
# Mount-wide and segment wildcards cover the v2 paths too.
path "secret/*" { # expect: POL010
  capabilities = ["read"]
}
path "secret/+/myapp/*" {
  capabilities = ["read"]
}
# A prefix glob that covers data/ and delete/ and destroy/.
path "secret/d*" { # expect: POL009
  capabilities = ["read"]
}
# Unknown mounts are left alone.
path "kv/myapp/*" {
  capabilities = ["read"]
}
path "database/creds/app" {
  capabilities = ["read"]
}
# Templated paths cannot be resolved offline.
path "secret/{{identity.entity.id}}/*" {
  capabilities = ["read"]
}
