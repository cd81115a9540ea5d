VAULT_ADDR ?= https://vault.internal:8200
VAULT_SKIP_VERIFY := false
LOCAL_ADDR := http://127.0.0.1:8200

check:
	@echo "never use -tls-skip-verify"
	curl -fsS --cacert ca.pem $(VAULT_ADDR)/v1/sys/health
	vault status -ca-cert=ca.pem
