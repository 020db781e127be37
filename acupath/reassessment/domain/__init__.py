"""Pure re-assessment rules: when the course prompts one, and the responder verdict (no Django)."""
