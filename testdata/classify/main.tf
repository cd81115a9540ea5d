provider "vault" {
  address = "https://vault:8200"
}
resource "vault_policy" "p" {
  name = "p"
  policy = "x"
}
