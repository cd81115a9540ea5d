#!/bin/sh
vault write auth/kubernetes/role/long-max bound_service_account_names=a bound_service_account_namespaces=p audience=vault token_ttl=1h token_max_ttl=72h # expect: ROL003
# Legacy aliases: ttl/max_ttl; `7d` is days for Vault.
vault write auth/kubernetes/role/week bound_service_account_names=a bound_service_account_namespaces=p audience=vault ttl=1h max_ttl=7d # expect: ROL003
# Vault rejects `7d12h`: days only as a pure integer.
vault write auth/kubernetes/role/bad-days bound_service_account_names=a bound_service_account_namespaces=p audience=vault ttl=1h max_ttl=7d12h # expect: ROL003
# `0` is "inherit", not "no TTL": 768h.
vault write auth/kubernetes/role/zero bound_service_account_names=a bound_service_account_namespaces=p audience=vault token_ttl=1h token_max_ttl=0 # expect: ROL003
vault write auth/kubernetes/role/long-ttl bound_service_account_names=a bound_service_account_namespaces=p audience=vault token_ttl=12h token_max_ttl=24h # expect: ROL003
# Periodic without token_explicit_max_ttl: renewable forever.
vault write auth/kubernetes/role/periodic bound_service_account_names=a bound_service_account_namespaces=p audience=vault token_period=24h # expect: ROL003
# Bare integers are seconds.
vault write auth/kubernetes/role/seconds bound_service_account_names=a bound_service_account_namespaces=p audience=vault token_ttl=3600 token_max_ttl=259200 # expect: ROL003
