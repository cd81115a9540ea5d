# Only Shamir, spelled out: still manual unsealing.
backend "consul" { # expect: SRV003
  address = "127.0.0.1:8500"
}
seal "shamir" {
}
