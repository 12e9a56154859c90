"""soryoku.content."""
