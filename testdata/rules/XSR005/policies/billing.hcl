path "apps/reports/*" { # expect: XSR005
  capabilities = ["read"]
}
