path "secret/data/app/*" {
  capabilities = ["read"]
  subscribe_event_types = ["*"] # expect: POL014
}
