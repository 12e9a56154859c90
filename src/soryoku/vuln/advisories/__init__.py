"""Advisories: OSV (and RustSec, CISA KEV) ingest into a local indexed SQLite database."""
