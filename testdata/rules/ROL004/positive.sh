#!/bin/sh
vault write database/roles/long db_name=app default_ttl=1h max_ttl=72h # expect: ROL004
# Unset TTLs inherit the mount, then the server, then 768h.
vault write database/roles/unset db_name=app creation_statements=@create.sql # expect: ROL004
# Only default_ttl too long.
vault write database/roles/long-default db_name=app default_ttl=12h max_ttl=24h # expect: ROL004
# Unset default_ttl is the mount default (768h) capped by the role max (24h): above 1h.
vault write database/roles/no-default db_name=app max_ttl=24h # expect: ROL004
vault write aws/roles/deploy credential_type=assumed_role role_arns=arn:aws:iam::123456789012:role/deploy max_sts_ttl=72h # expect: ROL004
