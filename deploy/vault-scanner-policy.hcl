# sealant-scanner: the read-only Vault/OpenBao policy `sealant scan --vault` needs — exactly
# the paths the collector reads, nothing that returns a secret value.
#   bao policy write sealant-scanner deploy/vault-scanner-policy.hcl
#   bao token create -policy=sealant-scanner -period=24h -orphan   # or a k8s auth role
# sys/health needs no token.

# Mount tables and their tuning (LVT004, ROL003/ROL004 TTLs, the KV mount model).
path "sys/mounts" {
  capabilities = ["read"]
}
path "sys/mounts/+/tune" {
  capabilities = ["read"]
}
path "sys/auth" {
  capabilities = ["read"]
}
# `sys/auth/<path>/tune` is root-protected in the system backend: read needs sudo.
# (`+` matches one segment: tune of a nested mount path such as `k8s/prod` is then a visible
# 403 in the scan report; add `sys/auth/+/+/tune` if you use those.)
path "sys/auth/+/tune" {
  capabilities = ["read", "sudo"]
}

# Audit devices (LVT001–LVT003): root-protected, sudo required.
path "sys/audit" {
  capabilities = ["read", "sudo"]
}

# ACL policies (POL rules on live policies).
path "sys/policies/acl" {
  capabilities = ["list"]
}
path "sys/policies/acl/*" {
  capabilities = ["read"]
}

# Roles of kubernetes/approle/jwt/oidc auth mounts (ROL rules). `+` keeps role
# sub-paths such as `auth/approle/role/<name>/role-id` and `…/secret-id` out of reach.
path "auth/+/role/" {
  capabilities = ["list"]
}
path "auth/+/role/+" {
  capabilities = ["read"]
}

# KV v2 metadata only (LVT005 staleness): never `<mount>/data/*`.
path "+/metadata/*" {
  capabilities = ["list", "read"]
}
