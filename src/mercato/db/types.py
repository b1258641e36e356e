"""Column types that work on both engines."""

from sqlalchemy import JSON
from sqlalchemy.dialects import postgresql

# Medusa's jsonb columns: JSONB on PostgreSQL, SQLite's JSON text elsewhere.
JSONB = JSON().with_variant(postgresql.JSONB(), "postgresql")
