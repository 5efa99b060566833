"""Stage 7, operations: one audit end to end (audit.py), the command line, fleets of sites
(in processes or on Celery workers) and the uptime monitor."""
