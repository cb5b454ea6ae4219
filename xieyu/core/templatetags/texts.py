"""Text shown to families: paragraphs with real links for web addresses and for paths on this site."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A web address, or a path on this site written in a message ("/events/6/"), ending before Chinese punctuation.
LINK = re.compile(r"(https?://[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+|(?<![\w/.])/[a-z][a-z0-9-]*/[A-Za-z0-9/_-]*)")
TRAILING = ".,;:!?)]'"


def _linked(line: str) -> str:
    out, last = [], 0
    for m in LINK.finditer(line):
        url = m.group(0).rstrip(TRAILING)
        end = m.start() + len(url)
        out.append(escape(line[last : m.start()]))
        out.append(format_html('<a href="{}">{}</a>', url, url))
        last = end
    out.append(escape(line[last:]))
    return "".join(out)


@register.filter(is_safe=True)
def paragraphs(text: str) -> SafeString:
    """Escaped paragraphs (blank lines) and line breaks, with links made clickable."""
    blocks = re.split(r"\n\s*\n", str(text or "").replace("\r\n", "\n").strip())
    html = "".join("<p>" + "<br>".join(_linked(line) for line in b.split("\n")) + "</p>" for b in blocks if b)
    return mark_safe(html)  # noqa: S308 — every piece above is escaped or built by format_html
