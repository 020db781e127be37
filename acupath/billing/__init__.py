"""Billing and coverage: price list, invoices, payments, packages, superbills, payer rules."""
