#!/bin/sh
vault write auth/approle/role/deploy secret_id_ttl=10m secret_id_num_uses=1 token_ttl=20m token_max_ttl=30m
