#!/bin/sh
vault auth enable approle
vault write auth/approle/role/ci secret_id_ttl=0 secret_id_num_uses=0 token_ttl=1h token_max_ttl=4h # expect: ROL006, ROL006
vault write auth/approle/role/bad secret_id_ttl=10d2h secret_id_num_uses=1 token_ttl=1h token_max_ttl=4h # expect: ROL006
