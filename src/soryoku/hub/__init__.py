"""The hub: where every engine's findings meet.

* ``store`` — ``open_store(db)``: runs, findings upserted by uid, queries (SQLite or PostgreSQL).
* ``lifecycle`` — the pure rules: new, still open, resolved (fixed or gone), reopened, suppressed.
* ``mutelist`` — ``load_mutelist(path)``: suppression rules with a reason and an expiry.
* ``schema`` — the tables, the schema version and the upgrade steps.
* ``database`` — where the store lives (SQLite path, PostgreSQL URL, per-user default).
* ``runs`` — ``RunSummary``, ``RunInfo``, ``RunDiff``.
* ``exporters`` — sending stored findings to other systems (Security Hub).

Nothing here runs at import; the store is opened only when asked for.
"""
