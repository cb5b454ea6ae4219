"""Rich text is sanitised on the server on every write path (editor, API, import), with nh3 (Ammonia) and an
allow-list per content type. There is no switch to turn it off: whatever the path, what is stored is the clean
text, so a page may mark it safe.

Removed everywhere: scripts and styles with their content, iframes, objects, forms, event-handler attributes
(on*), style attributes (pasted Word HTML carries them by the hundred), classes, and any link or picture whose
address is not http(s) or a path of our own (`javascript:`, `data:`, `vbscript:` … are dropped).
"""

from __future__ import annotations

from dataclasses import dataclass

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})
DROP_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
    "head", "title", "xml",  # a whole web page saved by Word or WPS: only its body's text is kept
})  # fmt: skip


@dataclass(frozen=True)
class Allowed:
    tags: frozenset[str]
    attributes: dict[str, frozenset[str]]


INLINE = frozenset({"a", "b", "strong", "i", "em", "u", "s", "sub", "sup", "br", "span", "mark", "small"})
# An article's body: paragraphs, headings, lists, quotes, tables, pictures and links.
ARTICLE = Allowed(
    tags=INLINE
    | frozenset({
        "p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "hr", "figure", "figcaption", "img",
        "table", "thead", "tbody", "tr", "th", "td", "caption", "div", "pre", "code",
    }),  # fmt: skip
    attributes={
        "a": frozenset({"href", "title"}),
        "img": frozenset({"src", "alt", "width", "height", "title"}),
        "th": frozenset({"colspan", "rowspan", "scope"}),
        "td": frozenset({"colspan", "rowspan"}),
        "ol": frozenset({"start"}),
    },
)
# A short text with emphasis and links only (a summary, a case's paragraph, a nomination's deeds).
SHORT = Allowed(tags=INLINE | frozenset({"p", "ul", "ol", "li"}), attributes={"a": frozenset({"href", "title"})})

CONTENT_TYPES = {"article": ARTICLE, "short": SHORT}


def clean_html(html: str, content_type: str = "article") -> str:
    """The HTML with only what the content type allows; the text of removed tags is kept, scripts' is not."""
    allowed = CONTENT_TYPES[content_type]
    return nh3.clean(
        html or "",
        tags=set(allowed.tags),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in allowed.attributes.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """The text of an HTML fragment, without any tag (for summaries, search, SMS and read-aloud)."""
    return nh3.clean(html or "", tags=set(), clean_content_tags=set(DROP_WITH_CONTENT)).strip()
