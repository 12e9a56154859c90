"""Compliance frameworks as data (FSBP, CIS AWS Foundations v3.0.0) and their mapping to checks."""
