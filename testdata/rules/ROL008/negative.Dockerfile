FROM alpine:3.20
ENV VAULT_SKIP_VERIFY=false VAULT_ADDR=https://vault.internal:8200
ARG VAULT_ADDR
ENV VAULT_CACERT /etc/ssl/vault-ca.pem
RUN curl -k https://dl.example.com/tool.tgz -o /tmp/tool.tgz
RUN ["vault", "status", "-ca-cert=/etc/ssl/vault-ca.pem"]
# Health checks talk to the container itself, like Kubernetes probes.
HEALTHCHECK CMD vault status -tls-skip-verify || exit 1
