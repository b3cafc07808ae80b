"""What every file we write must respect."""

# A cell that starts with one of these is a formula to Excel, LibreOffice and Numbers
# (tab and CR too: some of them strip a leading one and read on).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that cannot run as a formula: a leading apostrophe, which spreadsheets
    hide. Numbers, dates and empty cells pass unchanged (a negative number is a number)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
