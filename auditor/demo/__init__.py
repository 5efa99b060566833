"""Placeholder replaced by the demo site module."""
