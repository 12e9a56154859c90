"""soryoku.aws."""
