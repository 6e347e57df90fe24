"""Chapters through Pandoc: the runner, the AST, the converter, cross-references."""
