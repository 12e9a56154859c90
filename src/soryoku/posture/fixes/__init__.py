"""Safe, reversible fixes for posture FAILs: one module per service, a registry keyed by check id."""
