#!/usr/bin/env bash
vault policy write lister - <<EOF
path "secret/data/sh/*" {
  capabilities = ["read", "list"] # expect: POL011
}
EOF
