"""Pulumi entry point: the payment-system migration stack (see payment_migration/stack.py)."""

from payment_migration import stack

stack.build()
