"""Pulumi program for the zero-downtime payment-system migration (one module per concern)."""
