#!/bin/sh
vault secrets enable -path=legacy kv # expect: ROL009
vault secrets enable -path=kv2 -version=2 kv # expect: ROL009
