"""soryoku.inventory."""
