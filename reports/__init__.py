"""Report templates (Jinja2) for gov-audit's scorecard."""
