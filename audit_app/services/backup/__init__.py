"""Backup and restore: one archive with a consistent database snapshot, the evidence files and
uploaded templates, and a manifest with the SHA-256 of every member and the schema version.

Modules by concern::

    archive   the archive's layout, the manifest, member names and checksums (verify first)
    database  every table to JSON lines and back: SQLite through the online backup API, raw
              values; PostgreSQL in one REPEATABLE READ transaction, row_to_json and
              json_populate_recordset (each database's own exact text of its values)
    run       write_backup and restore_backup (what `audit-app backup|restore` call)

Callers import from the module that holds the code; this package re-exports nothing.
"""
