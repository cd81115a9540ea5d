#!/bin/sh
set -e
vault secrets enable -path=payments kv-v2 # expect: ROL009
vault secrets enable -path=archive kv # expect: ROL009
vault kv enable-versioning archive/

vault policy write payments-reader - <<EOF
path "payments/data/*" {
  capabilities = ["read"]
}
path "payments/refunds/*" { # expect: XSR005
  capabilities = ["deny"]
}
path "archive/2019/*" { # expect: XSR005
  capabilities = ["read"]
}
EOF

bao policy write payments-ok - <<'POLICY'
path "payments/data/ok/*" {
  capabilities = ["read"]
}
path "archive/data/ok/*" {
  capabilities = ["read"]
}
POLICY
