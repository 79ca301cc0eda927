"""Registration: settings per event, questions, registrations, invitations."""
