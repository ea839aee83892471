"""Sync bundles: manifest, minisign signatures, packing, verification and strict parsing."""
