"""Stage 6, report: report.json (and its JSON Schema), the scorecard (Jinja2 templates in
``templates/``), JUnit and Markdown outputs, diffs of two audits and the history store."""
