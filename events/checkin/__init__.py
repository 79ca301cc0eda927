"""Check-in at the door: scans, check-ins, undo, walk-ins, live counts."""
