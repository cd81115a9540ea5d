#!/usr/bin/env bash
# Every way a script turns Vault TLS verification off or talks to Vault in cleartext.
set -euo pipefail
export VAULT_SKIP_VERIFY=true # expect: ROL008
VAULT_SKIP_VERIFY=1 # expect: ROL008
BAO_SKIP_VERIFY=T vault status # expect: ROL008
export VAULT_ADDR="http://vault.internal:8200" # expect: ROL008
BAO_ADDR=http://${VAULT_HOST}:8200 bao kv get secret/app # expect: ROL008
declare -x VAULT_SKIP_VERIFY=TRUE # expect: ROL008
env VAULT_SKIP_VERIFY=True vault token lookup # expect: ROL008
vault login -method=oidc -tls-skip-verify # expect: ROL008
sudo -u ops vault kv get --tls-skip-verify=true secret/app # expect: ROL008
docker run --rm -e VAULT_SKIP_VERIFY=True -e VAULT_ADDR=http://10.0.0.5:8200 hashicorp/vault status # expect: ROL008, ROL008
podman exec --env=BAO_SKIP_VERIFY=1 bao bao status # expect: ROL008
echo "VAULT_SKIP_VERIFY=true" >> .env # expect: ROL008
cat > .env.ci <<EOF
VAULT_ADDR=http://vault.ci:8200 # expect: ROL008
EOF
curl -sk -H "X-Vault-Token: ${VAULT_TOKEN}" "${VAULT_ADDR}/v1/secret/data/app" # expect: ROL008
curl --insecure https://vault.internal:8200/v1/sys/health # expect: ROL008
curl -k "$BAO_ADDR"/v1/auth/token/lookup-self # expect: ROL008
docker exec vault sh -c 'export VAULT_SKIP_VERIFY=t && vault status' # expect: ROL008
kubectl exec vault-0 -- bash -c "curl -k https://vault-0.vault-internal:8200/v1/sys/seal-status" # expect: ROL008
aws secretsmanager get-secret-value --secret-id app --no-verify-ssl # expect: ROL008
aws --endpoint-url http://sm.internal:4566 secretsmanager list-secrets # expect: ROL008
VAULT_TOKEN="$(vault login -token-only -tls-skip-verify -method=userpass username=ci)" # expect: ROL008
if true; then
  VAULT_SKIP_VERIFY=yes vault status # expect: ROL008
fi
