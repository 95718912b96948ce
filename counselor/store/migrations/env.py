"""Alembic's entry point for the conversation store. Run by ``counselor.store.migrate`` with a connection in
``config.attributes``, so the service, the CLI and tests migrate the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import context

from counselor.store.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot alter most things in place; batch mode copies the table, so one migration fits both.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
