"""Settings, read once from ``EVENTS_*`` environment variables."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _data_dir() -> Path:
    return Path(os.environ.get("EVENTS_DATA_DIR", PROJECT_ROOT / "var")).resolve()


def _secret_key(data_dir: Path) -> str:
    """The key from the environment, else one generated once into the data dir (mode 0600)."""
    if key := os.environ.get("EVENTS_SECRET_KEY"):
        return key
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: two workers starting together must not write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _positive_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    base_url: str
    smtp_url: str | None
    host: str
    port: int
    debug: bool = False
    database_echo: bool = False
    # PostgreSQL connections each worker process keeps (and never exceeds).
    database_pool_size: int = 20
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = _data_dir()
        default_db = f"sqlite+aiosqlite:///{data_dir / 'events.db'}"
        host = os.environ.get("EVENTS_HOST", "127.0.0.1")
        port = int(os.environ.get("EVENTS_PORT", "8000"))
        return cls(
            data_dir=data_dir,
            database_url=os.environ.get("EVENTS_DATABASE_URL", default_db),
            secret_key=_secret_key(data_dir),
            base_url=os.environ.get("EVENTS_BASE_URL", f"http://{host}:{port}").rstrip("/"),
            smtp_url=os.environ.get("EVENTS_SMTP_URL") or None,
            host=host,
            port=port,
            debug=os.environ.get("EVENTS_DEBUG", "") == "1",
            database_echo=os.environ.get("EVENTS_DATABASE_ECHO", "") == "1",
            database_pool_size=_positive_int("EVENTS_DATABASE_POOL_SIZE", 20),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
