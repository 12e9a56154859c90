"""Built-in posture checks: one module per AWS service, prose in the YAML file beside it."""
