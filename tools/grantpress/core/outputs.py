"""The files of the build folder that other outputs refer to.

The site offers the PDF, the EPUB and the report's PDFs for download; the
build uses the same list to know when the site must be rebuilt (a new PDF
makes the site stale although none of its own inputs changed).
"""

SITE_DOWNLOADS = ("monograph.pdf", "monograph.epub", "report/report.ru.pdf",
                  "report/report.kk.pdf", "report/report.en.pdf")
"""Relative to the build folder."""
