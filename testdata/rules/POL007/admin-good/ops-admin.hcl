# Listed under options.POL007.admin_policies.
path "pki/root/sign-self-issued" {
  capabilities = ["update", "sudo"]
}
