# Read/list on policies is not an escalation.
path "sys/policies/acl/*" {
  capabilities = ["read", "list"]
}

# Reading the legacy endpoint is fine too.
path "sys/policy/*" {
  capabilities = ["read"]
}
