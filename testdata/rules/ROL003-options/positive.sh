#!/bin/sh
vault write auth/kubernetes/role/eight bound_service_account_names=a bound_service_account_namespaces=p audience=vault token_ttl=1h token_max_ttl=8h # expect: ROL003
vault write auth/kubernetes/role/two-hours bound_service_account_names=a bound_service_account_namespaces=p audience=vault token_ttl=2h token_max_ttl=4h # expect: ROL003
vault write auth/kubernetes/role/ok bound_service_account_names=a bound_service_account_namespaces=p audience=vault token_ttl=1h token_max_ttl=4h
vault write database/roles/brief db_name=app default_ttl="1h" max_ttl="24h" # expect: ROL004
vault write database/roles/seed002 db_name=app default_ttl="30m" max_ttl="1h"
vault token create -policy=deploy -ttl=2h # expect: ROL007
