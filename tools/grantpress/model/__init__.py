"""Typed models of the project: the book and the register."""
