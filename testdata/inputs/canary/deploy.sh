#!/usr/bin/env bash
set -euo pipefail
export VAULT_ADDR=http://vault.internal:8200
export VAULT_TOKEN=hvs.CANARYcanaryCANARYcanary0001
VAULT_SKIP_VERIFY=true vault login s.CANARYcanaryCANARYcanary02
curl -k -H "X-Vault-Token: hvs.CANARYcanaryCANARYcanary0001" https://vault.internal:8200/v1/sys/health
psql postgres://app:CanaryDbPass99@db:5432/app -c 'select 1'
AWS_ACCESS_KEY_ID=AKIACANARY0000000001 AWS_SECRET_ACCESS_KEY=wJalrCANARYcanaryEXAMPLEKEYcanary0000000 aws s3 ls
cat > key.pem <<PEM
-----BEGIN OPENSSH PRIVATE KEY-----
MIIEcanaryPRIVATEkeyBODYcanaryCANARY000
-----END OPENSSH PRIVATE KEY-----
PEM
