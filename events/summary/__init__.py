"""After the event: outcomes (memoranda, agreements...), the published summary, certificates."""
