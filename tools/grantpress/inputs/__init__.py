"""Reading and validating the repository: project, chapters, bibliography, safety."""
