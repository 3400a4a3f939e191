"""Alembic environment: always run by dealboard's migration runner with a live connection."""

from __future__ import annotations

from alembic import context

from dealboard.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit(
        "dealboard's migrations run through the app: use `dealboard db upgrade` "
        "(or any dealboard command), not the alembic command line."
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)

with context.begin_transaction():
    context.run_migrations()
