"""Show the filer what the cleaning rules make of what they typed, before anything is saved.

A form lists, per field, the rules its text goes through (`CleaningMixin.cleaning`, rules from
reports.filing.cleaning or any other module). When a rule changes a value, the page is shown again instead of
saving: the boxes hold the cleaned values, a notice says what changed and why, and saving again saves what the
filer now sees. A rule that is only an offer is listed with a box to accept it (ticked), and applied only if the
filer keeps it ticked. It works without JavaScript: all of it is a second round of the same form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.http import QueryDict

from reports.filing.cleaning import FULL_WIDTH_PUNCTUATION, Rule

# Posted by a page that showed the changes, so that offers the filer left unticked count as declined.
SEEN = "cleaning-seen"


@dataclass(frozen=True)
class Change:
    html_name: str
    label: str
    rule: Rule
    before: str
    after: str

    @property
    def accept_name(self) -> str:
        return f"{self.html_name}-accept-{self.rule.name}"

    @property
    def rule_label(self) -> str:
        return str(self.rule.label)

    @property
    def summary(self) -> str:
        return self.rule.summary(self.before, self.after) if self.rule.summary else ""


class CleaningMixin:
    """Put before the form class: `class PointForm(CleaningMixin, forms.Form)`, with `cleaning = {field: rules}`."""

    cleaning: ClassVar[dict[str, tuple[Rule, ...]]] = {}
    # Offered on every text field besides the field's own rules.
    every_text: ClassVar[tuple[Rule, ...]] = (FULL_WIDTH_PUNCTUATION,)

    def _rules(self):
        for name, field in self.fields.items():
            rules = tuple(self.cleaning.get(name, ()))
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.HiddenInput):
                rules += self.every_text
            if rules:
                yield name, rules

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.changes: list[Change] = []
        seen = bool(self.data.get(SEEN))
        for name, rules in self._rules():
            value = data.get(name)
            if not isinstance(value, str):
                continue
            # Browsers post line ends as CRLF: that is no change the filer need see.
            value = value.replace("\r\n", "\n")
            for rule in rules:
                after = rule.apply(value)
                if after == value:
                    continue
                change = Change(self.add_prefix(name), str(self.fields[name].label), rule, value, after)
                if not rule.offer:
                    self.changes.append(change)
                elif not seen:
                    self.changes.append(change)
                    continue
                elif not self.data.get(change.accept_name):
                    continue
                value = after
            data[name] = value
        return data


def pending_changes(every_form: Iterable[forms.BaseForm]) -> list[Change]:
    """What the rules would change in valid forms (forms being deleted aside): the page must show it first."""
    changes = []
    for form in every_form:
        data = getattr(form, "cleaned_data", None)
        if data is None or data.get("DELETE"):
            continue
        changes += getattr(form, "changes", [])
    return changes


def shown_data(data: QueryDict, changes: list[Change]) -> QueryDict:
    """The posted data as the page shows it again: cleaned values in their boxes, offers still as typed."""
    shown = data.copy()
    for change in changes:
        if not change.rule.offer:
            shown[change.html_name] = change.after
    shown[SEEN] = "1"
    return shown
