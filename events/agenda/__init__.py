"""The agenda: organisations, events with their partners and rooms, sessions and speakers."""
