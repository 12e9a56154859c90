"""soryoku.posture."""
