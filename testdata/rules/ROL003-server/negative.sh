#!/bin/sh
# No role TTLs: the server's max_lease_ttl (4h) in the same scan set bounds them.
vault write auth/kubernetes/role/inherit-server bound_service_account_names=a bound_service_account_namespaces=p audience=vault
# Above the server max: truncated to 4h.
vault write auth/kubernetes/role/truncated bound_service_account_names=a bound_service_account_namespaces=p audience=vault token_max_ttl=72h
vault write database/roles/inherit-server db_name=app
vault token create -policy=deploy
