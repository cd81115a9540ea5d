# Write on all of sys/: critical here, and it also reaches policies and auth methods.
path "sys/*" { # expect: POL006, POL002, POL004
  capabilities = ["update"]
}
