#!/bin/sh
# seed000: a cert auth role with ttl=1h and no max_ttl: the max TTL inherits 768h.
vault auth enable cert
vault write auth/cert/certs/payment-service \
display_name=payment-service \
policies=payment-service-secrets \
certificate=@/etc/vault/client-cas/payment-service-ca.crt \
allowed_common_names="payment-service" \
ttl=1h
