FROM hashicorp/vault:1.17
ENV VAULT_SKIP_VERIFY=true # expect: ROL008
ENV VAULT_ADDR http://vault.internal:8200 # expect: ROL008
ARG BAO_SKIP_VERIFY=1 # expect: ROL008
RUN vault kv get -tls-skip-verify secret/app # expect: ROL008
RUN apk add --no-cache curl && \
    curl -k "$VAULT_ADDR/v1/sys/health" # expect: ROL008
RUN ["sh", "-c", "export VAULT_SKIP_VERIFY=1; vault status # expect: ROL008 "]
CMD ["sh", "-c", "exec vault agent -config=/etc/agent.hcl -tls-skip-verify # expect: ROL008 "]
