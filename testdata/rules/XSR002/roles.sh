#!/bin/sh
vault write auth/kubernetes/role/api bound_service_account_names=api bound_service_account_namespaces=prod audience=vault token_ttl=1h token_max_ttl=4h token_policies=api
vault write auth/kubernetes/role/teams bound_service_account_names=app bound_service_account_namespaces="team-*" audience=vault token_ttl=1h token_max_ttl=4h token_policies=app # expect: ROL001
vault write auth/kubernetes/role/eso bound_service_account_names=eso bound_service_account_namespaces=eso audience=vault token_ttl=1h token_max_ttl=4h token_policies=eso
vault write auth/kubernetes/role/vso bound_service_account_names=vso bound_service_account_namespaces=team-a audience=vault token_ttl=1h token_max_ttl=4h token_policies=vso
