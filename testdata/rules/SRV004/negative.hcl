raw_storage_endpoint = false
introspection_endpoint = 0
