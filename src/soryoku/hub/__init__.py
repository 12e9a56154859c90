"""soryoku.hub."""
