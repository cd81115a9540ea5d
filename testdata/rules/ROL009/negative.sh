#!/bin/sh
vault secrets enable -path=db database
vault secrets enable transit
vault kv get secret/app
