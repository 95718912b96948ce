"""Schema migrations (Alembic) for every backend: ``migrate(engine)`` brings a database to the newest schema.

A database made before migrations existed (tables created straight from the models) is recognised by its
tables and stamped with the revision it matches, then upgraded like any other.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"  # every table but profiles
WITH_PROFILES = "0002"


def config(connection: object) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(engine: Engine) -> None:
    with engine.begin() as connection:
        cfg = config(connection)
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables and "conversations" in tables:
            command.stamp(cfg, WITH_PROFILES if "profiles" in tables else BASELINE)
        command.upgrade(cfg, "head")
