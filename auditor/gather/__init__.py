"""Built-in gatherers (one module each); imported by auditor.gatherers.available()."""
