"""The case store: SQLAlchemy 2.0 models, engine, migrations and repositories."""
