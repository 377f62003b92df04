"""Text hygiene shared by indexing and queries."""

_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_CONTROL[127] = None


def clean_text(text):
    """Text without control characters (NUL breaks PostgreSQL; \x02/\x03 mark highlights)."""
    return (text or "").translate(_CONTROL)
