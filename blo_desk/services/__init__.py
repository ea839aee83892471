"""Use cases: each owns its transaction, validates through the domain and returns plain data (no Qt)."""
