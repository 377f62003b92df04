"""The datasets of the open data: exports, calendars and feeds (filled in by the next step)."""


def openapi_paths(ERROR_RESPONSES):
    return {}
