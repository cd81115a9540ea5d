#!/bin/sh
vault write auth/kubernetes/role/exact bound_service_account_names=app bound_service_account_namespaces=production,staging audience=vault token_ttl=1h token_max_ttl=4h
# Mentioning the words elsewhere is not a role.
echo "bound_service_account_namespaces=*"
