# Loopback only, or switched off.
listener "tcp" {
  address     = "127.0.0.1:8200"
  tls_disable = 1 # expect: SRV001
  profiling {
    unauthenticated_pprof_access = true
  }
}
listener "tcp" {
  address       = "[::]:8300"
  tls_cert_file = "/vault/tls/tls.crt"
  tls_key_file  = "/vault/tls/tls.key"
  telemetry {
    unauthenticated_metrics_access = false
  }
}
