"""gov-audit's built-in checks: one module per check, registered as gov_audit.checks entry points."""
