"""Both sample reports can be built through the edit pages, and read exactly as their source texts."""

import pytest

from reports.demo.services import SAMPLES, sample_snapshot
from reports.filing import services
from reports.filing.document import compose_document
from reports.filing.forms import ReportDetailsForm
from reports.filing.sections import get_section_type
from reports.filing.snapshot import snapshot_of
from tests.section_forms import frame, items_post, measures_post
from tests.test_demo import SAMPLES_DIR, as_printed, comparable


def section_post(section, entry):
    content = entry["content"]
    framing = {
        "text": "\n".join(entry["text"]),
        "folded": entry["folded"],
        "nothing_to_report": entry["nothing_to_report"],
    }
    data = {"measures": lambda: measures_post(section, content["chapters"], **framing)}
    data["shortcomings"] = lambda: items_post(
        section,
        "items",
        [{"description": i["shortcoming"], "cause": i["cause"]} for i in content["items"]],
        ("description", "cause"),
        **framing,
    )
    data["plans"] = lambda: items_post(
        section,
        "points",
        [{"heading": p["heading"], "body": "\n".join(p["paragraphs"])} for p in content["points"]],
        ("heading", "body"),
        **framing,
    )
    as_posted = {None: "", True: "true", False: "false"}
    data["duties"] = lambda: {
        **frame(section, **framing),
        **{f"facts-{name}": as_posted.get(value, value) for name, value in content.items()},
    }
    data["rulings"] = lambda: {
        **frame(section, **framing),
        **{f"figures-{name}": "" if value is None else str(value) for name, value in content.items()},
    }
    posted = data[entry["key"]]()
    posted["frame-heading"] = entry["heading"]
    return posted


def build(report, snapshot, filer):
    """What a filer does in the browser: the details form, then each section's form, saved one by one."""
    details = {
        "title": snapshot["title"],
        "addressee": snapshot["addressee"],
        "preface": "\n".join(snapshot["preface"]),
        "other_matters": "\n".join(snapshot["other_matters"]),
        "signature": snapshot["signature"],
        "signed_on": snapshot["signed_on"] or "",
        "public_note": snapshot["public_note"],
        "attachments": "\n".join(snapshot["attachments"]),
        "version": str(report.version),
    }
    form = ReportDetailsForm(details, instance=report)
    assert form.is_valid(), form.errors
    services.save_report_details(form=form, by=filer)
    for entry in snapshot["sections"]:
        section = report.sections.get(key=entry["key"])
        editor = get_section_type(entry["key"]).editor(section, section_post(section, entry))
        assert editor.is_valid(), entry["key"]
        services.save_section(editor=editor, by=filer)
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(("file_name", "agency_code"), [(f, a) for f, a, _ in SAMPLES])
def test_a_filer_can_build_each_sample_from_an_empty_report(places, cycle, file_name, agency_code, sx_filer):
    agency = places.sx_emergency if agency_code == "sx-yjglt" else places.cz_emergency
    report = services.start_report(agency=agency, cycle=cycle)
    snapshot = sample_snapshot(file_name)
    build(report, snapshot, sx_filer)
    built = snapshot_of(report)
    source = {entry["key"]: entry for entry in snapshot["sections"]}
    for entry in built["sections"]:
        if entry["key"] not in source:
            assert not get_section_type(entry["key"]).is_started(entry["content"]) and not entry["text"]
            continue
        expected = source[entry["key"]]
        # A heading left blank takes the cycle's; the sample's folded section has none, and prints none.
        assert entry["heading"] == (expected["heading"] or report.cycle.sections.get(key=entry["key"]).heading)
        assert entry["text"] == expected["text"]
        assert (entry["folded"], entry["nothing_to_report"]) == (expected["folded"], expected["nothing_to_report"])
        assert {k: v for k, v in entry["content"].items() if k != "commitments"} == expected["content"]
    text = compose_document(built).plain_text().replace("附件：", "")
    original = (SAMPLES_DIR / file_name.replace(".json", ".txt")).read_text(encoding="utf-8")
    assert comparable(text) == as_printed(original, snapshot)
