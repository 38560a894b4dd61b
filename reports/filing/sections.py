"""The section registry: filing knows the report's sections only through it.

Each section app registers a SectionType in its AppConfig.ready(). A section's content
travels as a plain dict (its part of the frozen snapshot); the printed page, the PDF and
the public site are all built from those dicts, never from the live models.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from reports.filing.editing import SectionEditor
    from reports.filing.models import ReportSection

# GB/T 9704 7.3.3's four levels: 一、 (chapter), （一） (point), 1. (item), （1） (subitem); and plain paragraphs.
BlockKind = Literal["chapter", "point", "item", "subitem", "paragraph"]


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


def no_findings(entry: dict[str, Any]) -> list[str]:
    return []


@dataclass(frozen=True)
class SectionType:
    """A registered section. `has_content` says whether it prints anything; `has_data` whether anything is filled
    in at all (counts that are not printed, say); `check` lists what a filer should still look at, as messages;
    `promises` and `carry_over` let a new report start from last year's (see filing.carry_over)."""

    key: str
    default_heading: str
    position: int
    serialize: Callable[[ReportSection], dict[str, Any]]
    load: Callable[[ReportSection, dict[str, Any]], None]
    print_blocks: Callable[[dict[str, Any]], list[Block]]
    has_content: Callable[[dict[str, Any]], bool]
    editor: type[SectionEditor]
    prefetch: tuple[str, ...] = field(default=())
    has_data: Callable[[dict[str, Any]], bool] | None = None
    check: Callable[[dict[str, Any]], list[str]] = no_findings
    promises: Callable[[dict[str, Any]], list[Promise]] | None = None
    carry_over: Callable[[ReportSection, dict[str, Any] | None, list[Promise]], None] | None = None

    def is_started(self, content: dict[str, Any]) -> bool:
        return (self.has_data or self.has_content)(content)


_registry: dict[str, SectionType] = {}


def register(section_type: SectionType) -> None:
    if section_type.key in _registry:
        raise ValueError(f"section {section_type.key!r} is registered twice")
    _registry[section_type.key] = section_type


def get_section_type(key: str) -> SectionType:
    return _registry[key]


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
