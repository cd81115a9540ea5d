#!/bin/sh
# TTLs from variables or the request body from a file are not literal: not judged.
vault write database/roles/from-env db_name=app default_ttl="$DEFAULT_TTL" max_ttl="${MAX_TTL}"
vault write database/roles/from-file @role.json
# Not a database mount: a KV write that happens to have `roles` in its path.
vault write secret/roles/app value=x
