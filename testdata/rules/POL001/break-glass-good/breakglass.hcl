# Listed under options.POL001.break_glass in sealant-test.yaml: not reported.
path "*" {
  capabilities = ["read"]
}
