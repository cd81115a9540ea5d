listener "tcp" {
  address = 
  tls_disable = 1
