"""Tools for authors: new chapters, statistics."""
