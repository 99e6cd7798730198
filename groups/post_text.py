"""Group posts are plain text. This turns one into HTML that is safe to show.

The text is escaped first (so `<script>` shows as the characters she typed), web addresses
become links, and the result goes through nh3 (the Ammonia sanitiser) allowing only links and
line breaks with http(s) addresses, as a second lock on the same door.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

MAX_POST_LENGTH = 2000
MAX_TITLE_LENGTH = 120

_ALLOWED_TAGS = {"a", "br", "p"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}
# Something that looks like an HTML tag: members write text, so a tag is a mistake or a probe.
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


def post_html(text: str) -> SafeString:
    linked = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    html = linebreaks(linked, autoescape=False)
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer ugc",
    )
    return mark_safe(cleaned)  # noqa: S308 - escaped, then sanitised by nh3 just above
