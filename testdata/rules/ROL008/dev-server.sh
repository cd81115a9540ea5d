#!/bin/sh
# A local test harness: a dev server on loopback is fine (info only).
vault server -dev -dev-root-token-id=root &
export VAULT_ADDR=http://127.0.0.1:8200 # expect: ROL008
vault status
