"""BLO Desk: offline-first seizure case logger for Border Liaison Offices."""

__version__ = "0.1.0"
