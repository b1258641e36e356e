"""Column types that work on both engines."""

import decimal
from typing import Any

from sqlalchemy import JSON, Numeric
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeDecorator

# Medusa's jsonb columns: JSONB on PostgreSQL, SQLite's JSON text elsewhere.
JSONB = JSON().with_variant(postgresql.JSONB(), "postgresql")


class ExactNumeric(TypeDecorator[decimal.Decimal]):
    """A numeric column read back as written. PostgreSQL keeps the decimal; SQLite keeps a REAL,
    which SQLAlchemy's Numeric would round to 10 places (392.8571428571 for Medusa's
    392.85714285714283): here the double comes back as its shortest decimal, the one written."""

    impl = Numeric(asdecimal=False)
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> decimal.Decimal | None:
        return None if value is None else decimal.Decimal(repr(float(value)))
