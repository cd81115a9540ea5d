#!/bin/sh
# Nothing here weakens TLS to Vault.
export VAULT_SKIP_VERIFY=false
VAULT_SKIP_VERIFY=0 vault status
export VAULT_SKIP_VERIFY=""
export VAULT_SKIP_VERIFY="${SKIP_VERIFY}"
export VAULT_ADDR=https://vault.internal:8200
# Loopback is exempt (an agent or proxy on this host).
export VAULT_ADDR=http://127.0.0.1:8200
export VAULT_ADDR="${VAULT_ADDR}"
export VAULT_ADDR="${VAULT_ADDR:-http://localhost:8200}"
export VAULT_ADDR=unix:///var/run/vault/agent.sock
export OTHER_SKIP_VERIFY=true
vault status -tls-skip-verify=false
curl -k https://downloads.example.com/install.sh | sh
curl -sS --cacert /etc/vault/ca.pem "$VAULT_ADDR/v1/sys/health"
echo "never set VAULT_SKIP_VERIFY=true, never run vault -tls-skip-verify"
echo VAULT_SKIP_VERIFY=true > notes.txt
cat <<'EOF' > README.txt
export VAULT_SKIP_VERIFY=true
EOF
# export VAULT_SKIP_VERIFY=true
aws s3 ls --no-verify-ssl
aws secretsmanager list-secrets --endpoint-url https://secretsmanager.eu-west-1.amazonaws.com
printf '%s\n' 'an unterminated quote: this line is skipped, VAULT_SKIP_VERIFY=true
