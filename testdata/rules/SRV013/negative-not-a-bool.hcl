# A plain Go bool: `bao server` rejects a string ("unknown type *ast.LiteralType") and does
# not start, so nothing is enabled.
unsafe_allow_api_audit_creation = "true"
