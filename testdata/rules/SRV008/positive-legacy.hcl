backend "consul" {
  address = "127.0.0.1:8500"
}
ha_backend "consul" {
  address = "http://remote-consul.example.com:8500" # expect: SRV008
}
