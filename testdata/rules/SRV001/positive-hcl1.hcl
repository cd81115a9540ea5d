# HCL1 forms Vault accepts: several attributes on one line, quoted attribute names.
listener "tcp" { address = "0.0.0.0:8200" tls_disable = 1 } # expect: SRV001
listener "tcp" {
  "address" = "10.1.2.3:8200"
  "tls_disable" = "true" # expect: SRV001
}
