"""Billing writes: each validates, runs in one transaction and is audited."""
