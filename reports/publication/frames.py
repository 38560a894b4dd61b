"""A public page's frame: its template rendered once by each process, as a visitor with no session gets it, with a
marker where each part that changes from one reading to the next goes.

The site's navigation, the page's form and the footer are some two hundred template nodes whose output is the
same on every reading of a list or the compliance board; rendering them cost more than the queries that find
what the page shows. The views render such a page's parts themselves (`list_pages`, `board_pages`) and place
them into the template; the front door (`door`) fills them into the kept frame instead, without the template
engine or the middlewares. `tests/test_public_door.py` checks the pages composed so against the whole way's, byte
for byte.

A frame holds nothing a publication changes: only the templates, the settings (the footer) and the static files'
names, which a process reads once. It is kept per language and forgotten when a test changes the settings.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping

from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe


class Frame:
    """The page of `template` at the address of `view_name`, in the pieces around its `slots`."""

    def __init__(self, template: str, view_name: str, context: Mapping, slots: tuple[str, ...]) -> None:
        marker = secrets.token_hex(8)
        marks = {slot: mark_safe(f"\x00{marker}:{slot}\x00") for slot in slots}
        request = HttpRequest()
        request.path = request.path_info = reverse(view_name)
        request.method = "GET"
        request.user = AnonymousUser()
        page = render_to_string(template, {**context, **marks}, request=request)
        pieces = [page]
        for slot in slots:
            before, after = pieces.pop().split(marks[slot])
            pieces += [before, after]
        self.slots = slots
        self.pieces = pieces

    def filled(self, parts: Mapping[str, str]) -> str:
        written = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            written += [parts[slot], piece]
        return "".join(written)


_kept: dict[tuple[str, str], Frame] = {}


def frame(template: str, view_name: str, context: Callable[[], Mapping], slots: tuple[str, ...]) -> Frame:
    """The kept frame of the template, made the first time it is asked for with what `context()` gives."""
    key = (template, translation.get_language())
    kept = _kept.get(key)
    if kept is None:
        kept = _kept[key] = Frame(template, view_name, context(), slots)
    return kept


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    _kept.clear()


def part(template: str, request: HttpRequest, context: Mapping) -> SafeString:
    """A page's part rendered from its template with the request and the context alone: a part reads nothing that
    context processors give, so it is rendered without them, the same way for the view and the door."""
    plain = Context({"request": request, **context})
    # Where `{% querystring %}` and takes_context tags read the request, as a RequestContext holds it.
    plain.request = request
    return mark_safe(get_template(template).template.render(plain))


def option_tags(options: Iterable[tuple[str, str, bool]]) -> SafeString:
    """A form list's `<option>`s, each (value, label, chosen), the chosen one selected: written in one pass (in
    the template language each option's three variables and its condition cost more than the rest of the form)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if chosen else "", label) for value, label, chosen in options),
    )
