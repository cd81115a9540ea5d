vault {
  address         = "https://vault.example.com:8200"
  tls_skip_verify = "0"
}
exit_after_auth = true
