#!/bin/sh
# seed003: a Kubernetes auth role with ttl=1h and no max_ttl: the max TTL inherits 768h.
vault auth enable kubernetes
vault write auth/kubernetes/role/payments-api \
bound_service_account_names=payments-api \
bound_service_account_namespaces=production \
policies=payments-api-policy \
ttl=1h
