"""soryoku.posture.checks."""
