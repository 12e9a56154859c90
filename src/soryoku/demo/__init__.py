"""soryoku.demo."""
