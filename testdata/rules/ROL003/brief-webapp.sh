#!/bin/sh
# seed002: ttl=1h max_ttl=4h is within the thresholds (only the missing audience is reported).
vault write auth/kubernetes/role/webapp-production \
bound_service_account_names=webapp-sa \
bound_service_account_namespaces=production \
policies=app-db-readonly \
ttl=1h \
max_ttl=4h
