"""Characters no text we store may hold: NUL (PostgreSQL refuses it in text; SQLite keeps it) and unpaired UTF-16
surrogates (not encodable as UTF-8, so no database takes them). Pages refuse them in forms (Django's CharField does)
and in the address and query string (core.middleware.ForbiddenCharactersMiddleware); the API refuses them with a 422 naming the field
(core.api.text).
"""

from __future__ import annotations

import re

FORBIDDEN_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def has_forbidden_characters(value: str) -> bool:
    return bool(FORBIDDEN_CHARACTERS.search(value))
