#!/bin/sh
vault token create -policy=root # expect: ROL007
vault token create -policy=deploy -period=24h # expect: ROL007
vault token create -policy=deploy -orphan -ttl=1h # expect: ROL007
# No -ttl: the auth/token mount default, else the server default, else 768h.
vault token create -policy=deploy # expect: ROL007
vault token create -policy deploy -ttl 72h # expect: ROL007
vault write auth/token/create policies=root ttl=1h # expect: ROL007
vault write auth/token/create-orphan policies=deploy ttl=1h # expect: ROL007
vault token create -policy=deploy -ttl=7d12h # expect: ROL007
vault operator generate-root -init # expect: ROL007
