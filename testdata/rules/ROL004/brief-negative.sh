#!/bin/sh
# seed003/seed004: default_ttl="1h" max_ttl="24h" is within the thresholds.
vault secrets enable database
vault write database/roles/payments-db-role \
db_name=payments-postgres \
creation_statements="CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO \"{{name}}\";" \
revocation_statements="DROP ROLE IF EXISTS \"{{name}}\";" \
default_ttl="1h" \
max_ttl="24h"
# seed002: 30m / 1h.
vault write database/roles/webapp-role \
db_name=production-db \
default_ttl="30m" \
max_ttl="1h"
