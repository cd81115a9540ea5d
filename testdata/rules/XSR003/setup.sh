#!/bin/sh
vault secrets enable -path=legacy kv # expect: ROL009
vault secrets enable -path=kv2 kv-v2 # expect: ROL009
