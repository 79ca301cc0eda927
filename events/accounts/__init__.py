"""Accounts: users, roles, sessions, API tokens, the access guard, CSRF, rate limits, audit log.

Other areas use:

- ``events.accounts.access``: ``current_user(request)``, ``is_authenticated``, ``can_manage``,
  ``can_staff_desk`` and the ``CurrentUser`` a request carries as ``request.user``.
- ``events.accounts.ratelimit.rate_limit(db_session, key, limit, window)``.
- ``events.accounts.audit.record(db_session, actor, action, event_id=, target=, details=)``.
- In templates: ``{{ csrf_field() }}`` inside every POST form, ``{{ csrf_token() }}`` for the value.
"""
