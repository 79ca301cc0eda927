"""events: bilateral science days and round tables."""
