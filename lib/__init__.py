"""The kernel: settings, database, locking, errors, i18n, jobs, mail, PDF, templating, validation and
small helpers. It imports no domain and nothing from server/ (tests/test_architecture.py checks it)."""
