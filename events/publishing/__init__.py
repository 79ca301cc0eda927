"""Publishing: the printed programme, calendars, schedule.json / schedule.xml and CSV exports."""
