"""soryoku.posture.compliance."""
