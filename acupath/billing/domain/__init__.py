"""Pure billing rules (no Django imports): payer coverage, invoice numbering, money."""
