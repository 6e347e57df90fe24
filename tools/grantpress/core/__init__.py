"""Shared plumbing: errors, the message table, YAML, writing, cache, dates, progress."""
