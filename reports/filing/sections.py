"""The section registry: the only door to a section's content.

Each section app declares its SectionType once, at the end of its `section.py`, which the registry finds when
Django starts (`autodiscover`). A section's content travels as a plain dict (its part of the frozen snapshot);
everything outside the section app (the printed document, checks, carry-over, the public figures and
comparisons, the importer) reads it only through the hooks declared here, so a province that adds a section, or a
year that drops one, is one registration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from reports.filing.editing import SectionEditor
    from reports.filing.models import ReportSection

# GB/T 9704 7.3.3's four levels: 一、 (chapter), （一） (point), 1. (item), （1） (subitem); and plain paragraphs.
BlockKind = Literal["chapter", "point", "item", "subitem", "paragraph"]
Content = dict[str, Any]


@dataclass(frozen=True)
class Block:
    """A printed piece of a report. The composer numbers chapters 一、 and points （一）; items and subitems keep
    the number the filer typed at the start of their first paragraph (1. or （1）), as they print it."""

    kind: BlockKind
    heading: str = ""
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Promise:
    """Something a report says the agency will do next year, for next year's report to answer."""

    heading: str
    text: str = ""


@dataclass(frozen=True)
class Answer:
    """What this year's report says of one of last year's promises: done or not, and the measure answering it."""

    heading: str
    text: tuple[str, ...]
    done: bool
    answered_by: str = ""


@dataclass(frozen=True)
class Counts:
    """Named counts a section publishes beside its text (court cases, say): for charts, peers and open data.
    `totals` adds them up in the database over the sections that match some lookups, grouped by another (the
    province-wide view at 20,000 agencies reads no snapshot); `rates` names what is computed from a set of
    counts."""

    read: Callable[[Content], dict[str, int]]
    labels: Mapping[str, str]
    title: str
    unit: str
    charts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    peers: tuple[str, ...] = ()
    totals: Callable[[Mapping[str, Any], str], dict[Any, dict[str, int]]] | None = None
    rates: Callable[[Mapping[str, int]], list[tuple[str, str]]] | None = None

    def label(self, key: str) -> str:
        return str(self.labels.get(key, key))


@dataclass(frozen=True)
class ImportedPoint:
    heading: str
    paragraphs: list[str]


@dataclass(frozen=True)
class ImportedChapter:
    """A chapter of an imported file as the importer read it, in words a section understands: its heading, the
    paragraphs before its first point, its points (numbers taken off), every paragraph as written (point lines
    included), and the same paragraphs read as an enumeration (一是…二是…, or numbered lines)."""

    heading: str
    intro: list[str]
    points: list[ImportedPoint]
    written: list[str]
    opening: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Placed:
    """A chapter placed into a section: its text and content, whether its points were kept as points (so their
    numbers were taken off), and paragraphs that have no place in the section's shape."""

    text: list[str]
    content: Content
    kept_points: bool = False
    unplaced: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Importing:
    """How an imported file's chapter is recognised as this section (`heading`, tried in `rank` order, lowest
    first) and placed into it: by `place`, one chapter to one section; or, for a section that gathers several
    chapters, by `merge`, which adds one more chapter to what the section holds already (its points always kept
    as points) and returns what has no place in it, and `finish`, which tidies it once the file is read. A
    section that `receives_themes` also takes the chapters whose heading names no section (the themed chapters of
    measures). `folded` finds the section written as the opening sentences of a later chapter (尽管…还有差距。),
    returning its content and the rest of the paragraph."""

    heading: re.Pattern[str]
    rank: int
    place: Callable[[ImportedChapter], Placed] | None = None
    receives_themes: bool = False
    merge: Callable[[dict[str, Any], ImportedChapter, bool], list[str]] | None = None
    finish: Callable[[dict[str, Any]], list[str]] | None = None
    folded: Callable[[str], tuple[Content, str] | None] | None = None


def as_text(chapter: ImportedChapter) -> Placed:
    """The plainest placing: the chapter's paragraphs, point lines included, as the section's text."""
    return Placed(list(chapter.written), {})


def no_findings(entry: dict[str, Any]) -> list[str]:
    return []


def no_items(content: Content) -> int:
    return 0


def no_facts(content: Content) -> list[tuple[str, str]]:
    return []


def prints_anything(entry: dict[str, Any]) -> bool:
    """Whether a section's entry prints text or content of its own (a "nothing to report" line aside)."""
    return bool(entry["text"]) or get_section_type(entry["key"]).has_content(entry["content"])


def nothing_public(content: Content) -> Content:
    return {}


@dataclass(frozen=True)
class SectionType:
    """A registered section.

    Printing: `print_blocks`; `has_content` says whether it prints anything; `has_data` whether anything is
    filled in at all (counts that are not printed, say). Declaring: `may_declare_nothing` is False for a part no
    report may lack (its "本年度无此项内容" box is not offered). Checking: `check` lists what a filer should still
    look at, as messages; `describe` gives the facts it holds that are not printed, as (label, value) pairs, for
    those who check the report without its edit page (the reviewer, the conflict panel, the diffs).
    Carrying over: `promises` and `carry_over` let a new report start from last year's (see
    filing.carry_over). Comparing: `answers` (what this year says of last year's promises) and `outline` (the
    headings of what it reports, side by side with last year's promises). Figures: `counts` and `indicators`
    (named figures with units). Importing: `importing`, `empty_content` and `item_count` (for the summary)."""

    key: str
    default_heading: str
    position: int
    serialize: Callable[[ReportSection], Content]
    load: Callable[[ReportSection, Content], None]
    print_blocks: Callable[[dict[str, Any]], list[Block]]
    has_content: Callable[[Content], bool]
    editor: type[SectionEditor]
    prefetch: tuple[str, ...] = field(default=())
    has_data: Callable[[Content], bool] | None = None
    check: Callable[[dict[str, Any]], list[str]] = no_findings
    promises: Callable[[dict[str, Any]], list[Promise]] | None = None
    carry_over: Callable[[ReportSection, dict[str, Any] | None, list[Promise]], None] | None = None
    answers: Callable[[Content], list[Answer]] | None = None
    outline: Callable[[Content], list[str]] | None = None
    counts: Counts | None = None
    indicators: Callable[[Content], list[dict[str, str]]] | None = None
    importing: Importing | None = None
    empty_content: Callable[[], Content] = dict
    item_count: Callable[[Content], int] = no_items
    may_declare_nothing: bool = True
    describe: Callable[[Content], list[tuple[str, str]]] = no_facts
    public_content: Callable[[Content], Content] = nothing_public

    def is_started(self, content: Content) -> bool:
        return (self.has_data or self.has_content)(content)


_registry: dict[str, SectionType] = {}


def register(section_type: SectionType) -> SectionType:
    if section_type.key in _registry:
        raise ValueError(f"section {section_type.key!r} is registered twice")
    _registry[section_type.key] = section_type
    return section_type


def autodiscover() -> None:
    """Import every installed app's `section` module, each of which registers its section (FilingConfig.ready)."""
    autodiscover_modules("section")


def get_section_type(key: str) -> SectionType:
    return _registry[key]


def find_section_type(key: str) -> SectionType | None:
    """The registered section of that key, or None for one this portal does not (or no longer) know."""
    return _registry.get(key)


def section_types() -> list[SectionType]:
    return sorted(_registry.values(), key=lambda s: s.position)


def all_prefetches() -> list[str]:
    """What to prefetch so that serializing any number of sections costs a fixed number of queries."""
    return [lookup for section_type in section_types() for lookup in section_type.prefetch]


# 1. 1、 1． and （1） (1) opening a paragraph; not 1.36万 or 2023年.
_ITEM = re.compile(r"[0-9０-９]{1,2}[.．、](?![0-9０-９])")
_SUBITEM = re.compile(r"[（(][0-9０-９]{1,2}[）)]")


def body_blocks(paragraphs: list[str] | tuple[str, ...]) -> list[Block]:
    """Paragraphs as printed blocks: one opening with 1. starts an item, one with （1） a subitem, and the plain
    paragraphs after either belong to it."""
    blocks: list[Block] = []
    for paragraph in paragraphs:
        kind = "item" if _ITEM.match(paragraph) else "subitem" if _SUBITEM.match(paragraph) else None
        if kind:
            blocks.append(Block(kind, paragraphs=(paragraph,)))
        elif blocks:
            blocks[-1] = Block(blocks[-1].kind, paragraphs=(*blocks[-1].paragraphs, paragraph))
        else:
            blocks.append(Block("paragraph", paragraphs=(paragraph,)))
    return blocks


def point_blocks(heading: str, paragraphs: list[str] | tuple[str, ...]) -> list[Block]:
    """A point （一） whose heading runs into its first plain paragraphs, then its items."""
    body = body_blocks(paragraphs)
    lead = body.pop(0).paragraphs if body and body[0].kind == "paragraph" else ()
    return [Block("point", heading=heading, paragraphs=lead), *body]


def standard_blocks(entry: dict[str, Any], *extra: Block) -> list[Block]:
    """The usual printed shape: the section heading as a chapter, its text, then its own blocks."""
    blocks = [Block("chapter", heading=entry["heading"]), *body_blocks(entry["text"])]
    blocks.extend(extra)
    return blocks
