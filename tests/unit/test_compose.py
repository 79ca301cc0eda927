"""compose.yaml starts PostgreSQL, runs migrations first, then the app, each with a health check."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_migrations_run_before_the_app_and_every_service_has_a_health_check() -> None:
    services = _compose()["services"]
    assert services["db"]["image"].startswith("postgres")
    assert "healthcheck" in services["db"]
    assert services["migrate"]["command"] == ["events", "db", "upgrade"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    app = services["app"]
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/health" in " ".join(app["healthcheck"]["test"])
    assert app["environment"]["EVENTS_DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert "--workers" in app["command"]


def test_docker_compose_accepts_the_file() -> None:
    binary = shutil.which("docker-compose")
    if binary is None:
        if os.environ.get("EVENTS_REQUIRE_COMPOSE") == "1":
            pytest.fail("EVENTS_REQUIRE_COMPOSE=1 but docker-compose is not installed")
        pytest.skip("docker-compose is not installed")
    result = subprocess.run(
        [binary, "-f", str(ROOT / "compose.yaml"), "config", "-q"],
        capture_output=True,
        text=True,
        env={**os.environ, "EVENTS_SECRET_KEY": "compose-check"},
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_mail_goes_out_from_its_own_service_and_the_app_scales_out() -> None:
    services = _compose()["services"]
    mailer = services["mailer"]
    assert mailer["command"][:3] == ["events", "mail", "send"]
    assert "--once" not in mailer["command"]  # a loop, not one pass
    assert mailer["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    # The web workers leave the outbox to the mailer.
    assert services["app"]["environment"]["EVENTS_MAIL_IN_APP"] == "0"
    assert "replicas" in services["app"]["deploy"]
    assert "max_connections" in " ".join(services["db"]["command"])
