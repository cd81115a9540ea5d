export VAULT_ADDR = http://vault.internal:8200 # expect: ROL008
VAULT_SKIP_VERIFY := true # expect: ROL008

deploy:
	@VAULT_SKIP_VERIFY=1 vault kv put secret/app @app.json # expect: ROL008
	-curl -fsSk $(VAULT_ADDR)/v1/sys/health # expect: ROL008
	vault login \
	  -tls-skip-verify # expect: ROL008
