#!/bin/sh
vault secrets enable -path=app kv # expect: ROL009
vault secrets enable -path=secret kv-v2 # expect: ROL009
vault secrets enable -path=team -version=2 kv # expect: ROL009
# Upgraded to v2 later in the same scan set.
vault secrets enable -path=legacy kv # expect: ROL009
vault kv enable-versioning legacy/
