path "secret/data/app/*" {
  capabilities = ["read", "sudo"] # expect: POL007
}

path "pki/root" {
  policy = "sudo" # expect: POL007
}
