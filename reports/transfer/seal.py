"""The portal's own Word files carry the report they were made from, signed with the portal's key.

A Word file can print only what the document shows: not the court-case figures, the duties facts or the
indicators, nor which shortcomings were items. So the exporter seals the snapshot into the file, and
the importer takes it back whole, but only while the signature holds and the document still reads
exactly as that snapshot composes; an edited file is read from its text like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing

SALT = "reports.transfer.word"
NAMESPACE = "urn:x-rule-of-law-portal:report"


@dataclass(frozen=True)
class Sealed:
    snapshot: dict[str, Any]
    is_draft: bool


def seal(snapshot: dict[str, Any], *, is_draft: bool) -> str:
    return signing.dumps({"snapshot": snapshot, "draft": is_draft}, salt=SALT, compress=True)


def unseal(sealed: str) -> Sealed | None:
    try:
        content = signing.loads(sealed, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(content, dict) or not isinstance(content.get("snapshot"), dict):
        return None
    return Sealed(content["snapshot"], bool(content.get("draft")))
