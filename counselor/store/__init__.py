"""Durable storage of conversations, messages, turns and tickets through SQLAlchemy (SQLite by default)."""
