default_lease_ttl = "1h"
max_lease_ttl     = "24h"
listener "tcp" {
  address       = "[::]:8200"
  tls_cert_file = "/vault/tls/tls.crt"
  tls_key_file  = "/vault/tls/tls.key"
  profiling {
    unauthenticated_pprof_access = true # expect: SRV005
  }
  telemetry {
    unauthenticated_metrics_access = "true" # expect: SRV005
  }
  inflight_requests_logging = {
    unauthenticated_in_flight_requests_access = 1 # expect: SRV005
  }
}
listener "tcp" {
  address       = "10.0.0.5:9102"
  tls_cert_file = "/vault/tls/tls.crt"
  tls_key_file  = "/vault/tls/tls.key"
  telemetry {
    metrics_only                   = true
    unauthenticated_metrics_access = true # expect: SRV005
  }
}
