#!/bin/sh
vault write auth/kubernetes/role/short bound_service_account_names=a bound_service_account_namespaces=p audience=vault token_ttl=1h token_max_ttl=4h
# Resolved through a mount tuned by the CLI in the same scan set.
vault auth enable -path=k8s-cli kubernetes
vault auth tune -default-lease-ttl=30m -max-lease-ttl=4h k8s-cli/
vault write auth/k8s-cli/role/inherit bound_service_account_names=a bound_service_account_namespaces=p audience=vault
vault write auth/kubernetes/role/compound bound_service_account_names=a bound_service_account_namespaces=p audience=vault ttl=1h30m max_ttl=1.5h
