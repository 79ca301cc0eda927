"""Mail: the transactional outbox and its sender (SMTP or .eml files)."""
