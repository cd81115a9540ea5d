#!/bin/sh
# Vault reads a quoted "*" and an unquoted * the same; the unquoted one may also be globbed by the shell.
vault write auth/kubernetes/role/quoted bound_service_account_names=app audience=vault token_ttl=1h token_max_ttl=4h bound_service_account_namespaces="*" # expect: ROL001
vault write auth/kubernetes/role/unquoted bound_service_account_names=app audience=vault token_ttl=1h token_max_ttl=4h bound_service_account_namespaces=* # expect: ROL001, ROL001
# Both `*` at once: any pod in any namespace (critical), and ROL002 for the names.
bao write auth/kubernetes/role/both audience=vault token_ttl=1h token_max_ttl=4h bound_service_account_names='*' bound_service_account_namespaces='*' # expect: ROL001, ROL002
vault write auth/kubernetes/role/default-sa audience=vault token_ttl=1h token_max_ttl=4h bound_service_account_names=default bound_service_account_namespaces="*" # expect: ROL001, ROL002
vault write auth/kubernetes/role/glob audience=vault token_ttl=1h token_max_ttl=4h bound_service_account_names=app bound_service_account_namespaces="prod*" # expect: ROL001
# A mount with another name: the role kind comes from its keys; line continuations are followed.
vault write auth/k8s-prod/role/multi \
  bound_service_account_names=app \
  audience=vault token_ttl=1h token_max_ttl=4h \
  bound_service_account_namespaces="*" # expect: ROL001
