"""Alembic environment: runs on the connection handed over by storage.migrate (batch mode for SQLite)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from blo_desk.storage import (
    models,  # noqa: F401  (registers the tables on Base.metadata)
    models_security,  # noqa: F401  (accounts, audit trail, amendment window)
    models_sync,  # noqa: F401  (sync bundle tables)
)
from blo_desk.storage.base import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url")
        assert url is not None  # storage.migrate.alembic_config sets it
        engine = create_engine(url)
        with engine.begin() as conn:
            _run_on(conn)
        return
    _run_on(connection)


def _run_on(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run()
