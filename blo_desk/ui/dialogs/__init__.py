"""The desk's dialogs: messages and confirmations, accounts and settings, bundle export, period report, print preview."""
