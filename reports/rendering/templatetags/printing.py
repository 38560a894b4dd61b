from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from reports.rendering.typesetting import with_quote_breaks

register = template.Library()


@register.filter
def breakable(text: str) -> SafeString:
    """The text escaped, and free to break at Chinese quotation marks."""
    return conditional_escape(with_quote_breaks(str(text)))
