"""Database engine, sessions, the declarative base and shared column types."""

from events.db.base import Base, Multilingual
from events.db.engine import create_engine, sqlalchemy_config

__all__ = ["Base", "Multilingual", "create_engine", "sqlalchemy_config"]
