"""soryoku.shield."""
