"""The demo events: three bilateral events built from public news texts (see docs/demo.md)."""
