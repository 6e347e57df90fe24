"""grantpress: the publication system of a research grant project.

Data flows one way: load and validate (``project``) → convert (``convert``) →
assemble (``assemble``) → write (``pdf``, ``epub``). The monograph, the website
and the funder's report are views of the one ``Project`` model.
"""

__version__ = "0.1.0"
