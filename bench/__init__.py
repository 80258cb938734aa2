"""Benchmarks, run as scripts from the project root (``python bench/sync.py``); they start
their processes with the test harness (``harness/``)."""
