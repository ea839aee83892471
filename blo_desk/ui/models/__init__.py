"""Qt models over plain rows handed out by the services."""
