"""soryoku.detect."""
