# With an api_proxy stanza the cache stanza's use_auto_auth_token is ignored (checked with
# `bao agent`: requests without a token get 403), so this listener relays no agent token.
auto_auth {
  method "kubernetes" {
    config = { role = "app" }
  }
}
cache {
  use_auto_auth_token = true
}
api_proxy {
}
listener "tcp" {
  address       = "0.0.0.0:8100"
  tls_cert_file = "/etc/agent/tls.crt"
  tls_key_file  = "/etc/agent/tls.key"
}
