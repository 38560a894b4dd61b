"""The years (their cycles, with the provinces' own terms) and regions the public lists' filters and the
compliance board offer, read once per process and kept while nothing public changes.

A list page offers every reporting year and, around the chosen region, the provinces, its ancestors and the
divisions directly under it (`region_options`); the filters check a year or a region code against them, and the
board shows a cycle's dates by province. Asked of the database at every cold page, they cost two or three
queries and a region's lookup, more than a list page's own list (measured on a 2-core machine: about a fifth of
its time). They change a few times a year, so each process keeps them under the public side's generation
(`cache.generation`), which a changed region, cycle or province's terms moves on as a publication does
(`signals`, which also make the process that changed them read them again at once), and for at most as long as
a list page is cached. A process asks for the generation at most once a second (`cache.recent_generation`):
another process offers a changed region or year within a second of the change.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError

from reports.agencies.models import Region
from reports.filing.models import ReportingCycle
from reports.publication.cache import LIST_SECONDS, recent_generation


class RegionOption(NamedTuple):
    """A region as the filter lists show it: indented under its parent."""

    pk: int
    code: str
    label: str


@dataclass(frozen=True)
class Places:
    cycles: dict[int, ReportingCycle]
    by_code: dict[str, Region]
    by_pk: dict[int, Region]
    children: dict[int | None, list[Region]] = field(repr=False)

    @property
    def years(self) -> list[int]:
        """Newest first."""
        return list(self.cycles)

    def region_options(self, selected: Region | None) -> list[RegionOption]:
        """The provinces, and around the chosen region its ancestors and the divisions directly under it: a reader
        narrows the choice one level at a time, without JavaScript."""
        opened = set()
        while selected is not None:
            opened.add(selected.pk)
            selected = self.by_pk.get(selected.parent_id) if selected.parent_id else None
        options: list[RegionOption] = []

        def walk(parent: int | None, depth: int) -> None:
            for region in self.children.get(parent, []):
                options.append(RegionOption(region.pk, region.code, "\u3000" * depth + region.name))
                if region.pk in opened:
                    walk(region.pk, depth + 1)

        walk(None, 0)
        return options


class RegionField(forms.CharField):
    """A region by its code, one of those the lists offer: looked up without a query, its parent and theirs
    with it."""

    default_error_messages = {"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]}

    def to_python(self, value) -> Region | None:
        code = super().to_python(value)
        if not code:
            return None
        region = places().by_code.get(code)
        if region is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return region


def read_places() -> Places:
    """The years and regions as the database holds them now."""
    regions = list(Region.objects.order_by("code").only("pk", "code", "name", "level", "parent_id"))
    children: dict[int | None, list[Region]] = {}
    by_pk = {region.pk: region for region in regions}
    for region in regions:
        children.setdefault(region.parent_id, []).append(region)
        if region.parent_id is not None:
            # As select_related("parent") would: region.parent.parent asks nothing more.
            region.parent = by_pk[region.parent_id]
    cycles = list(ReportingCycle.objects.order_by("-year").prefetch_related("provincial_settings__province"))
    for cycle in cycles:
        cycle.provincial_terms  # noqa: B018 - read now, with the prefetched settings, not by a page later
    return Places(
        cycles={cycle.year: cycle for cycle in cycles},
        by_code={region.code: region for region in regions},
        by_pk=by_pk,
        children=children,
    )


@dataclass
class _Kept:
    places: Places
    generation: int
    read_at: float


_kept: _Kept | None = None
_lock = threading.Lock()


def places() -> Places:
    """The years and regions, kept by this process under the generation it read within the last second
    (`cache.recent_generation`); a change made in this process is seen at once (`forget`)."""
    global _kept
    current, now = recent_generation(), time.monotonic()
    kept = _kept
    if kept is not None and kept.generation == current and now - kept.read_at < LIST_SECONDS:
        return kept.places
    with _lock:
        kept = _kept
        if kept is not None and kept.generation == current and now - kept.read_at < LIST_SECONDS:
            return kept.places
        _kept = _Kept(read_places(), current, now)
        return _kept.places


def forget() -> None:
    """Read them again at the next request: a region or cycle changed (`signals`)."""
    global _kept
    _kept = None
