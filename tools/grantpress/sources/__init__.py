"""Sources: GOST formatting with citeproc, the source list, bibliography checks, cite."""
