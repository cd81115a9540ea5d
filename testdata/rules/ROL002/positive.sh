#!/bin/sh
vault write auth/kubernetes/role/any-sa bound_service_account_names="*" bound_service_account_namespaces=prod audience=vault token_ttl=1h token_max_ttl=4h # expect: ROL002
vault write auth/kubernetes/role/unquoted bound_service_account_names=* bound_service_account_namespaces=prod audience=vault token_ttl=1h token_max_ttl=4h # expect: ROL002, ROL002
vault write auth/kubernetes/role/glob bound_service_account_names=web-* bound_service_account_namespaces=prod audience=vault token_ttl=1h token_max_ttl=4h # expect: ROL002, ROL002
vault write auth/kubernetes/role/default bound_service_account_names=default bound_service_account_namespaces=prod audience=vault token_ttl=1h token_max_ttl=4h # expect: ROL002
