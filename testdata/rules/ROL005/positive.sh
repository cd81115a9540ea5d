#!/bin/sh
vault write auth/kubernetes/role/no-aud bound_service_account_names=app bound_service_account_namespaces=prod token_ttl=1h token_max_ttl=4h # expect: ROL005
vault write auth/kubernetes/role/blank-aud bound_service_account_names=app bound_service_account_namespaces=prod audience= token_ttl=1h token_max_ttl=4h # expect: ROL005
