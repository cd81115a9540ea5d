# hashicorp/vault#9337: list on data/ lets nothing be listed.
path "secret/data/*" {
  capabilities = ["read", "list"] # expect: POL011
}

# Unknown mount, but the path has a /data/ segment.
path "kv/data/app/*" {
  capabilities = [
    "read",
    "list", # expect: POL011
  ]
}
