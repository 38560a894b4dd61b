"""The diffs compare every field a filer can change, and align paragraphs before comparing their characters."""

import copy

from reports.review.diff import diff_snapshots
from tests.transfer_tools import SHANXI, sample_snapshot


def _changed(old, new):
    return {d.key: d for d in diff_snapshots(old, new) if d.changed}


def _shown(diff):
    return "".join(row.old + row.new for row in diff.rows if row.kind != "equal")


def test_every_framing_field_is_compared():
    old = sample_snapshot(SHANXI)
    new = copy.deepcopy(old)
    new |= {
        "title": old["title"] + "（修订）",
        "addressee": "山西省人民政府",
        "preface": [*old["preface"], "新增的导语段落。"],
        "other_matters": ["新增的其他情况。"],
        "signature": "山西省应急管理厅办公室",
        "signed_on": "2024-01-30",
        "public_note": "（此件依申请公开）",
        "attachments": ["新附件"],
    }
    changed = _changed(old, new)
    assert set(changed) == {"opening", "other_matters", "closing"}
    assert "（修订）" in _shown(changed["opening"]) and "山西省人民政府" in _shown(changed["opening"])
    assert "新增的导语段落。" in _shown(changed["opening"])
    closing = _shown(changed["closing"])
    assert "山西省应急管理厅办公室" in closing and "2024年1月30日" in closing and "依申请" in closing
    assert "新附件" in closing


def test_a_corrected_count_indicator_fact_and_tick_appear():
    old = sample_snapshot(SHANXI)
    new = copy.deepcopy(old)
    entries = {entry["key"]: entry for entry in new["sections"]}
    entries["rulings"]["content"]["rulings_performed"] = 3
    entries["duties"]["content"]["study_sessions"] = 9
    point = next(p for c in entries["measures"]["content"]["chapters"] for p in c["points"] if p["indicators"])
    point["indicators"][0]["value"] = "77"
    entries["shortcomings"]["nothing_to_report"] = True
    changed = _changed(old, new)
    assert {"rulings", "duties", "measures", "shortcomings"} <= set(changed)
    rulings = [row for row in changed["rulings"].rows if row.kind == "replace"]
    assert any("<ins>3</ins>" in row.new for row in rulings)
    assert "<ins>77</ins>" in _shown(changed["measures"])
    assert "本年度无此项内容" in _shown(changed["shortcomings"])


def test_unrelated_paragraphs_are_not_struck_through_character_by_character():
    def snapshot(paragraphs):
        return {
            "title": "关于2024年度法治政府建设情况的报告",
            "sections": [
                {
                    "key": "plans",
                    "heading": "下一年度推进法治政府建设的主要安排",
                    "folded": False,
                    "nothing_to_report": False,
                    "text": paragraphs,
                    "content": {"points": []},
                }
            ],
        }

    last_year = snapshot(["全面推进严格规范公正文明执法，开展执法案卷评查。", "深入开展普法宣传教育活动。"])
    this_year = snapshot(
        ["新增一段关于数字政府建设的完全不同的内容。", "全面推进严格规范公正文明执法，开展执法案卷评查活动。"]
    )
    rows = _changed(last_year, this_year)["plans"].rows
    kinds = [row.kind for row in rows]
    assert kinds.count("replace") == 1
    replaced = next(row for row in rows if row.kind == "replace")
    assert "<ins>活动</ins>" in replaced.new and "<del>" not in replaced.old
    assert "insert" in kinds and "delete" in kinds
