"""The shipped JSON files the offline clients answer from (`affiliates.sources`,
`shops.accounts`) when no real API is configured."""

import json
from functools import lru_cache


@lru_cache(maxsize=8)
def load_fixture(path: str) -> dict:
    """The parsed file, read once per process."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
