"""The seizure case domain: entities, enums, validation rules and errors (standard library only)."""
