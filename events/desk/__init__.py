"""The check-in desk page (``/desk/{slug}``): camera and handheld scanning, search, walk-ins,
undo, and an offline mode (service worker + IndexedDB). It talks to the check-in API only."""
