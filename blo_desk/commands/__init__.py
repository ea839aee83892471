"""Subcommands of `blo-desk`: each parses its arguments and calls services."""
