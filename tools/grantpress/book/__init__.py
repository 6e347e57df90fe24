"""The monograph assembled and written: print assembly, EPUB, PDF."""
