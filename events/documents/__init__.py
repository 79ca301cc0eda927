"""Documents: pure functions from plain data (msgspec Structs) to bytes (PDF, images)."""
