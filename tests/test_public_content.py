"""What is public is what is printed, plus the figures a section says it publishes: the facts reviewers check stay
out of every public surface, and the forms say which is which."""

import datetime
import json

import pytest

from reports.filing.document import compose_document
from tests.factories import PASSWORD
from tests.publishing import report_from_snapshot, snapshot

DUTY_FACTS = {
    "leaders_heard_reports": 17,
    "study_sessions": 23,
    "year_end_accountability_done": True,
    "law_list_published": False,
}


@pytest.fixture
def published(places, cycle):
    content = snapshot(
        places.sx_emergency,
        2024,
        measures={
            "text": ["全年推进依法行政。"],
            "chapters": [
                {
                    "heading": "",
                    "points": [
                        {
                            "heading": "严格执法",
                            "paragraphs": ["检查企业19.2万家。"],
                            "indicators": [{"name": "检查企业", "value": "19.2", "unit": "万家"}],
                        }
                    ],
                }
            ],
            "commitments": [],
        },
        rulings={"text": ["行政复议案件3件。"], "reconsideration_received": 3, "defendant_lost": None},
    )
    content["sections"].insert(
        2,
        {
            "key": "duties",
            "heading": "党政主要负责人履行推进法治建设第一责任人职责情况",
            "folded": False,
            "nothing_to_report": False,
            "text": ["主要负责人认真履行第一责任人职责。"],
            "content": dict(DUTY_FACTS),
        },
    )
    return report_from_snapshot(places.sx_emergency, cycle, content, datetime.date(2025, 3, 20))


def test_the_api_publishes_the_printed_text_and_the_public_figures_but_not_the_facts_reviewers_check(client, published):
    data = client.get("/api/v1/reports/2024/sx-yjglt/").json()
    sections = {entry["key"]: entry for entry in data["document"]["sections"]}
    assert sections["duties"]["text"] == ["主要负责人认真履行第一责任人职责。"]
    assert sections["duties"]["content"] == {}
    text = json.dumps(data, ensure_ascii=False)
    assert not any(name in text for name in DUTY_FACTS), "the 第一责任人 facts are checked, not published"
    # The court counts and the indicators are published figures: in the document and in its figures alike.
    assert sections["rulings"]["content"] == {"reconsideration_received": 3}
    assert data["figures"]["rulings"] == {"reconsideration_received": 3}
    point = sections["measures"]["content"]["chapters"][0]["points"][0]
    assert point["indicators"] == [{"name": "检查企业", "value": "19.2", "unit": "万家"}]


def test_every_text_the_api_document_holds_is_printed_in_the_report(client, published):
    data = client.get("/api/v1/reports/2024/sx-yjglt/").json()
    printed = compose_document(published.published_revision.content).plain_text()

    def texts(value):
        """Every string of the document but the figures, which are published as figures, not printed words, and
        the fields that say which report it is."""
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in ("indicators", "commitments", "agency_code", "year", "signed_on", "key"):
                    yield from texts(item)
        elif isinstance(value, list):
            for item in value:
                yield from texts(item)
        elif isinstance(value, str) and value:
            yield value

    found = list(texts(data["document"]))
    assert "检查企业19.2万家。" in found and "主要负责人认真履行第一责任人职责。" in found
    assert [text for text in found if text not in printed] == []


def test_the_public_page_shows_no_fact_reviewers_check(client, published):
    page = client.get("/published/2024/sx-yjglt/").content.decode()
    assert "主要负责人认真履行第一责任人职责。" in page
    assert "听取法治建设工作汇报" not in page and "集体学法" not in page


def test_the_forms_say_what_is_printed_what_is_published_and_what_neither(client, sx_draft, sx_filer):
    client.login(username=sx_filer.username, password=PASSWORD)
    duties = client.get(f"/work/reports/{sx_draft.pk}/sections/duties/").content.decode()
    assert "审核时核对的情况（不印入报告，也不公开）" in duties
    rulings = client.get(f"/work/reports/{sx_draft.pk}/sections/rulings/").content.decode()
    assert "不印入报告，作为统计数字随报告公开" in rulings
    assert "供审核核对，不印入报告。" not in rulings
    measures = client.get(f"/work/reports/{sx_draft.pk}/sections/measures/").content.decode()
    assert "指标（随报告公开）" in measures
