"""The one way to write a CSV export: every cell is made safe for spreadsheet software.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as
a formula by Excel or LibreOffice (OWASP « CSV injection »): it gets a leading apostrophe.
Numbers, booleans and dates are left as they are. Every export (open data, survey results,
programme) writes through ``safe_writer`` or calls ``formula_safe``.
"""

import csv

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """``value`` as a CSV cell that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_PREFIXES:
        return "'" + value
    return value


class SafeWriter:
    """A ``csv.writer`` whose rows go through ``formula_safe``, cell by cell."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([formula_safe(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def safe_writer(stream, delimiter=";", **kwargs):
    """A CSV writer for an export (semicolon-separated, as French spreadsheets expect)."""
    return SafeWriter(stream, delimiter=delimiter, **kwargs)
