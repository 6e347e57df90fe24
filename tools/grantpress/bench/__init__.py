"""The build benchmark: a generated book of N pages, and the times of its builds.

``generate.generate_book`` writes a deterministic, FICTIONAL book repository;
``python -m grantpress.bench`` builds it (clean, unchanged, one sentence edited,
page count shifted), times the raw tools over the same text as a floor and
prints the table. See README.md next to this file.
"""
