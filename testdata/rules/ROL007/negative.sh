#!/bin/sh
vault token create -policy=deploy -ttl=30m -explicit-max-ttl=1h
# Periodic with an explicit max: ends within 4h.
vault token create -policy=deploy -period=1h -explicit-max-ttl=4h
# A token role decides the lifetimes (ROL003 judges the role).
vault token create -role=ci
vault operator generate-root -status
vault token lookup
