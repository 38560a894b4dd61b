"""The edit pages' offer of full-width punctuation (the forms' half of filing.punctuation).

When a filer saves text with half-width , : ; ? ! ( ) between Chinese characters, nothing is saved yet: the
page comes back with that text made full width, by the same function the importer heals files with, and
says how many marks it changed; saving again saves what the fields then hold, so a filer who wants a mark
back puts it back. A hidden field of the page (OFFERED, on the one form that carries it) remembers that the
offer was made.

It works on the posted data, not on any one form, so a page of many forms and formsets (a section's) is
offered at once: only a value with Chinese text in it can change, and no number, date or code has any.
A form opts in by carrying the hidden field (OffersFullWidthPunctuation); its view asks offer_full_width
before saving and, if there is an offer, shows the page again bound to the offered data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import ngettext

from reports.filing.punctuation import full_width_punctuation

OFFERED = "punctuation_offered"


class OffersFullWidthPunctuation:
    """A form that carries the page's hidden note that the offer was made."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[OFFERED] = forms.BooleanField(required=False, widget=forms.HiddenInput)


@dataclass(frozen=True)
class Offer:
    data: QueryDict  # the posted data, its text made full width: bind the page's forms to it
    changed: int  # how many marks

    @property
    def message(self) -> str:
        return ngettext(
            "已将中文之间的 %(count)d 个半角标点改为全角（如“，”“：”“（）”），尚未保存：请检查，确认后再次保存。",
            "已将中文之间的 %(count)d 个半角标点改为全角（如“，”“：”“（）”），尚未保存：请检查，确认后再次保存。",
            self.changed,
        ) % {"count": self.changed}


def offer_full_width(carrier: forms.BaseForm) -> Offer | None:
    """The offer for the page whose data the carrier form is bound to, or None: nothing to change, or the
    offer was made already (save)."""
    data = carrier.data
    flag = carrier.add_prefix(OFFERED)
    if not carrier.is_bound or data.get(flag):
        return None
    offered, changed = data.copy(), 0
    for key, values in data.lists():
        healed = []
        for value in values:
            text, changes = full_width_punctuation(value) if isinstance(value, str) else (value, [])
            healed.append(text)
            changed += len(changes)
        offered.setlist(key, healed)
    if not changed:
        return None
    offered[flag] = "1"
    return Offer(offered, changed)
