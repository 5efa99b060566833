from auditor.operations.cli import entry

entry()
