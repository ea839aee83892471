"""The officer's desk: the PySide6 application (the only package that imports Qt)."""
