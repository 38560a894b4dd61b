"""The shortcomings section: ordered items, each a shortcoming and its cause."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.filing.editing import SectionEditor, inline_helper, mark_extra_forms, save_in_order
from reports.filing.models import ReportSection
from reports.filing.sections import Block, ImportedChapter, Importing, Placed, SectionType, register, standard_blocks
from reports.filing.tidying import CleaningMixin
from reports.shortcomings.models import Shortcoming

PREFETCH = ("shortcomings",)
FIELDS = ("description", "cause")


def serialize(section: ReportSection) -> dict[str, Any]:
    return {"items": [{"shortcoming": s.description, "cause": s.cause} for s in section.shortcomings.all()]}


def load(section: ReportSection, content: dict[str, Any]) -> None:
    Shortcoming.objects.bulk_create(
        Shortcoming(section=section, position=i, description=item["shortcoming"], cause=item.get("cause", ""))
        for i, item in enumerate(content.get("items", []), 1)
    )


def has_content(content: dict[str, Any]) -> bool:
    return bool(content.get("items"))


def public_content(content: dict[str, Any]) -> dict[str, Any]:
    """All of it is printed."""
    items = [item for item in content.get("items") or [] if isinstance(item, dict)]
    return {
        "items": [{"shortcoming": str(i.get("shortcoming") or ""), "cause": str(i.get("cause") or "")} for i in items]
    }


def print_blocks(entry: dict[str, Any]) -> list[Block]:
    paragraphs = ["".join(filter(None, [i["shortcoming"], i["cause"]])) for i in entry["content"]["items"]]
    return standard_blocks(entry, Block("paragraph", paragraphs=tuple(paragraphs)))


def check(entry: dict[str, Any]) -> list[str]:
    items = entry["content"].get("items", [])
    findings = [
        _("第%(n)s项只写了原因，没有写不足。") % {"n": n} for n, item in enumerate(items, 1) if not item["shortcoming"]
    ]
    if items and not any(item["cause"] for item in items):
        findings.append(_("各项都没有单独写明原因；如原因已写在不足之中，可忽略此提示。"))
    return findings


class ShortcomingForm(CleaningMixin, forms.ModelForm):
    class Meta:
        model = Shortcoming
        fields = list(FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3, "data-count": ""}),
            "cause": forms.Textarea(attrs={"rows": 2, "data-count": ""}),
        }


ShortcomingFormSet = inlineformset_factory(
    ReportSection, Shortcoming, form=ShortcomingForm, extra=1, can_order=True, can_delete=True
)


class ShortcomingsEditor(SectionEditor):
    parts_template_name = "filing/formset_parts.html"

    def build_parts(self, data: Any) -> list:
        formset = ShortcomingFormSet(data, instance=self.section, prefix="items")
        formset.helper = inline_helper()
        formset.add_label = gettext_lazy("添加一项不足")
        formset.numbering = "ordinal"
        return [mark_extra_forms(formset)]

    def save_parts(self) -> None:
        save_in_order(self.parts[0], FIELDS)


# A sentence opening a later chapter that owns up to a shortfall (尽管…但…还有不小差距。): the shortcomings
# section folded into that chapter, as the Changzhi sample does.
SHORTFALL = re.compile(r"不足|差距|短板|薄弱|不够|有待|欠缺|存在.{0,12}问题")
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]*|[^。！？!?]+")


def _items(texts: list[str]) -> dict[str, Any]:
    return {"items": [{"shortcoming": text, "cause": ""} for text in texts]}


def place(chapter: ImportedChapter) -> Placed:
    """The opening text, then one item per shortcoming: numbered paragraphs and 一是…二是… alike."""
    return Placed(list(chapter.opening), _items(chapter.items))


def folded(paragraph: str) -> tuple[dict[str, Any], str] | None:
    """The shortfalls a later chapter opens with, and the rest of its first paragraph."""
    parts = _SENTENCE.findall(paragraph)
    owned = []
    for sentence in parts:
        if not SHORTFALL.search(sentence):
            break
        owned.append(sentence.strip())
    if not owned:
        return None
    return _items(owned), "".join(parts[len(owned) :]).strip()


SECTION = register(
    SectionType(
        key="shortcomings",
        default_heading=str(_("推进法治政府建设存在的不足和原因")),
        position=20,
        serialize=serialize,
        load=load,
        print_blocks=print_blocks,
        has_content=has_content,
        editor=ShortcomingsEditor,
        prefetch=PREFETCH,
        check=check,
        importing=Importing(
            heading=re.compile(
                r"不足|短板|差距|薄弱|欠缺|困难|存在.{0,8}问题|问题(?:和|与|及)(?:原因|不足|困难)|^(?:主要)?问题"
            ),
            rank=40,
            place=place,
            folded=folded,
        ),
        empty_content=lambda: {"items": []},
        item_count=lambda content: len(content.get("items", [])),
        public_content=public_content,
    )
)
