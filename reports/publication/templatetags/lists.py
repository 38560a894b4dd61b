"""The public list's filter form: its options written in one pass. A list offers a few hundred regions at most,
and in the template language each option's three variables and its condition were resolved through several
lookups, more than the rest of the form cost (`views.filter_options` gives them as (value, label, chosen))."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def chosen_options(options: Iterable[tuple[str, str, bool]], suffix: str = "") -> SafeString:
    """`<option>`s, the chosen one selected; `suffix` follows each label (年度)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        ((value, " selected" if chosen else "", label, suffix) for value, label, chosen in options),
    )
