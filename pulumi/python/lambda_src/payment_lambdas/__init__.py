"""Lambda handlers of the payment migration (validation, rollback, authorizer, rotation)."""
