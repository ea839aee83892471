"""Declarative base with a naming convention, and column types shared by the models."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import MetaData, String, types
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(types.TypeDecorator):
    """An aware datetime stored as naive UTC; read back as aware UTC on SQLite and PostgreSQL alike."""

    impl = types.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


class DecimalText(types.TypeDecorator):
    """An exact decimal kept as text, so SQLite never rounds a quantity or a value."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect):
        return None if value is None else format(Decimal(value), "f")

    def process_result_value(self, value: str | None, dialect):
        return None if value is None else Decimal(value)
