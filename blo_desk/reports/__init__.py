"""Printed paper: customs protocols and period reports built with reportlab from plain data."""
