vault {
  address = "http://127.0.0.1:8200"
}
api_proxy {
  use_auto_auth_token = true
}
