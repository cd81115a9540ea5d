introspection_endpoint = "false"
