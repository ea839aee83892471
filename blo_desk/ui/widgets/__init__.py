"""Reusable widgets of the case editor: field rows with inline errors, item and person lists, photos."""
