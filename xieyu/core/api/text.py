"""Text the API refuses: a JSON string or a query value holding a NUL character or an unpaired surrogate.

The parser marks each such value (in the body at any depth, in the query, in a form) with ForbiddenText; the
field's own validation then fails where the value sits, and TextCheckingAPI gives that error its own type, so the
422 names the field and says what is wrong with it (core.api.errors).
"""

from __future__ import annotations

import json
from typing import Any

from ninja import NinjaAPI
from ninja.parser import Parser

from xieyu.core.text import has_forbidden_characters

BAD_TEXT_ERROR = "forbidden_character"


class ForbiddenText:
    """Stands in for a refused string: no str, int or choice field accepts it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "ForbiddenText()"


def mark_forbidden_text(data: Any) -> Any:
    if isinstance(data, str):
        return ForbiddenText(data) if has_forbidden_characters(data) else data
    if isinstance(data, dict):
        return {key: mark_forbidden_text(value) for key, value in data.items()}
    if isinstance(data, list):
        return [mark_forbidden_text(value) for value in data]
    return data


class TextCheckingParser(Parser):
    def parse_body(self, request) -> Any:
        return mark_forbidden_text(json.loads(request.body))

    def parse_querydict(self, data, list_fields, request) -> dict[str, Any]:
        return mark_forbidden_text(super().parse_querydict(data, list_fields, request))


class TextCheckingAPI(NinjaAPI):
    """A NinjaAPI whose parser marks refused text and whose validation errors say so for those fields."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("parser", TextCheckingParser())
        super().__init__(*args, **kwargs)

    def validation_error_from_error_contexts(self, error_contexts):
        refused = [
            isinstance(e.get("input"), ForbiddenText)
            for context in error_contexts
            for e in context.pydantic_validation_error.errors(include_url=False)
        ]
        error = super().validation_error_from_error_contexts(error_contexts)
        for item, is_refused in zip(error.errors, refused, strict=True):
            if is_refused:
                item["type"] = BAD_TEXT_ERROR
                item.pop("ctx", None)
        return error
