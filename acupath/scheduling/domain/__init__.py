"""Pure scheduling rules: slot finding and course proposals (no Django imports)."""
