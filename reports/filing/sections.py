"""The section registry: filing knows the report's sections only through it.

Each section app registers a SectionType in its AppConfig.ready(). A section's content
travels as a plain dict (its part of the frozen snapshot); the printed page, the PDF and
the public site are all built from those dicts, never from the live models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from reports.filing.editing import SectionEditor
    from reports.filing.models import ReportSection

BlockKind = Literal["chapter", "point", "paragraph"]


@dataclass(frozen=True)
class Block:
    """A printed piece of a report. The composer numbers chapters 一、 and points （一）."""

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


def standard_blocks(entry: dict[str, Any], *extra: Block) -> list[Block]:
    """The usual printed shape: the section heading as a chapter, its text, then its own blocks."""
    blocks = [Block("chapter", heading=entry["heading"])]
    if entry["text"]:
        blocks.append(Block("paragraph", paragraphs=tuple(entry["text"])))
    blocks.extend(extra)
    return blocks
