from django import template
from django.utils.safestring import SafeString

from groups.post_text import post_html

register = template.Library()


@register.filter
def post_text(text: str) -> SafeString:
    """A post's plain text as safe HTML: escaped, links made clickable, sanitised."""
    return post_html(text)
