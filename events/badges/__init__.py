"""Badges wired to registrations: data for the badge renderer, printing, re-issuing."""
