"""The organiser's workspace: dashboard, event overview and editor, partners, rooms, publishing."""
