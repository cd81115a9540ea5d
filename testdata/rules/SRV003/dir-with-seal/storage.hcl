# The seal is in another file of the same -config directory.
storage "raft" {
  path = "/vault/data"
}
