"""Nothing that is not published reaches the public: not drafts, submissions, returns, approvals not yet published,
withdrawn reports, a correction in progress, reviewers' comments, nor the names and e-mails of staff."""

import pytest
from django.utils import timezone

from reports.filing.models import Publication, Report, ReportState
from reports.publication.models import PublishedEntry
from reports.publication.services import refresh_search_entry
from reports.review.models import Comment
from reports.workflow import actions
from tests.factories import filer_of, report_in_state, reviewer_of
from tests.publishing import forget_cached_pages, published_report

HIDDEN_STATES = [
    ReportState.DRAFT,
    ReportState.SUBMITTED,
    ReportState.IN_REVIEW,
    ReportState.RETURNED,
    ReportState.APPROVED,
    ReportState.WITHDRAWN,
]
PUBLIC_TEXT = "已经公开的职责情况文字"
PART_OF_PUBLIC_TEXT = "已经公开的职责"
STAFF = {
    "sx-yjglt-filer": ("李填报", "li.filer@example.gov.cn"),
    "sx-sft-reviewer": ("张审核", "zhang.reviewer@example.gov.cn"),
}


def hidden_text(state):
    return f"不应公开的内容{state}"


@pytest.fixture
def every_state(places, cycle, sx_filer, sx_reviewer, sx_second_reviewer):
    """One report in each state that must stay hidden, a published one being corrected, and review comments."""
    for user in (sx_filer, sx_reviewer):
        user.full_name, user.email = STAFF[user.username]
        user.save()
    agencies = [
        places.sx_government,
        places.sx_justice,
        places.cz_government,
        places.cz_justice,
        places.cz_emergency,
        places.lc_government,
    ]
    for state, agency in zip(HIDDEN_STATES, agencies, strict=True):
        filer, reviewer = filer_of(agency), reviewer_of(agency)
        for user in (filer, reviewer):
            if user.username not in STAFF:
                STAFF[user.username] = (f"职员{len(STAFF)}号", f"staff{len(STAFF)}@example.gov.cn")
                user.full_name, user.email = STAFF[user.username]
                user.save()
        report = report_in_state(state, agency, cycle, filer, reviewer)
        if state != ReportState.WITHDRAWN:
            report.sections.filter(key="duties").update(text=hidden_text(state))
            Report.objects.filter(pk=report.pk).update(title=f"标题{hidden_text(state)}")
        refresh_search_entry(report)
    _put_in_published_version(Report.objects.get(state=ReportState.WITHDRAWN), hidden_text(ReportState.WITHDRAWN))
    corrected = published_report(places.sx_emergency, cycle, sx_filer, sx_second_reviewer, text=PUBLIC_TEXT)
    actions.start_correction(report=corrected, by=sx_reviewer)
    corrected.sections.filter(key="duties").update(text="更正中尚未公开的新文字")
    Report.objects.filter(pk=corrected.pk).update(title="更正中尚未公开的新标题")
    refresh_search_entry(corrected)
    for report in Report.objects.all():
        Comment.objects.create(
            report=report,
            section_key="duties",
            section_heading="职责",
            author=sx_reviewer,
            author_name="张审核",
            body="审核意见：请补充数据后再报",
        )
    return corrected


def _put_in_published_version(report, text):
    """Make the text part of the version that was published (for a withdrawn report: public once, no longer)."""
    revision = Publication.objects.get(report=report).revision
    content = revision.content
    for section in content["sections"]:
        if section["key"] == "duties":
            section["text"] = [text]
    type(revision).objects.filter(pk=revision.pk).update(content=content)


def public_urls(places):
    codes = [a.code for a in vars(places).values() if hasattr(a, "code") and hasattr(a, "kind")]
    urls = ["/", "/published/", "/compliance/", "/compliance/?year=2024&status=missing", "/open-data/", "/feed/"]
    urls += ["/sitemap.xml", "/sitemap-reports.xml", "/sitemap-agencies.xml", "/sitemap-pages.xml"]
    urls += ["/api/v1/reports/", "/api/v1/schema/", "/open-data/indicators.csv"]
    for code in codes:
        urls += [f"/published/2024/{code}/", f"/published/2024/{code}/v1/", f"/published/2024/{code}/v2/"]
        urls += [f"/published/2024/{code}.pdf", f"/agencies/{code}/", f"/agencies/{code}/compare/"]
        urls += [f"/api/v1/reports/2024/{code}/", f"/published/?agency={code}", f"/api/v1/reports/?agency={code}"]
    # Searches echo the query, so they ask for a part of each secret and the page must not show the rest.
    for query in ["不应公开的内容", "更正中尚未公开", "审核意见", "张审"]:
        urls += [f"/published/?q={query}", f"/api/v1/reports/?q={query}", f"/open-data/indicators.csv?q={query}"]
    return urls


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_only_published_versions_are_in_the_public_entries(every_state):
    entries = PublishedEntry.objects.all()
    assert [entry.report_id for entry in entries] == [every_state.pk]
    assert PUBLIC_TEXT in entries[0].body
    assert "更正中尚未公开" not in entries[0].body


def test_no_public_page_feed_api_sitemap_or_search_shows_anything_unpublished(client, places, every_state):
    secrets = [hidden_text(state) for state in HIDDEN_STATES]
    secrets += ["更正中尚未公开的新文字", "更正中尚未公开的新标题", "审核意见：请补充数据后再报", "请补充执法数据"]
    secrets += [name for name, _ in STAFF.values()] + [email for _, email in STAFF.values()]
    secrets += ["sx-sft-reviewer", "sx-yjglt-filer"]
    seen_public_text = False
    for url in public_urls(places):
        for visitor in ("anonymous", "again, from the cache"):
            response = client.get(url)
            assert response.status_code < 500, url
            text = body(response)
            for secret in secrets:
                assert secret not in text, f"{secret} on {url} ({visitor})"
            seen_public_text |= PUBLIC_TEXT in text
    assert seen_public_text


def test_a_published_report_becomes_unreadable_everywhere_once_withdrawn(client, places, cycle, sx_filer, sx_reviewer):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text=PUBLIC_TEXT)
    urls = ["/", "/published/", f"/published/?q={PART_OF_PUBLIC_TEXT}", "/api/v1/reports/", "/feed/"]
    urls += ["/sitemap-reports.xml"]
    for url in urls:
        assert "sx-yjglt" in body(client.get(url)), url
    actions.withdraw_report(report=report, by=sx_reviewer, reason="需要核实。")
    refresh_search_entry(report)
    for url in [*urls, "/published/2024/sx-yjglt/", "/api/v1/reports/2024/sx-yjglt/", "/agencies/sx-yjglt/"]:
        text = body(client.get(url))
        assert PUBLIC_TEXT not in text, url
        assert "/published/2024/sx-yjglt/v" not in text, url
    assert "/published/2024/sx-yjglt/" not in body(client.get("/sitemap-reports.xml"))


def test_a_report_withdrawn_past_the_refresh_leaves_every_filtered_list(client, places, cycle, sx_filer, sx_reviewer):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text=PUBLIC_TEXT)
    # Withdrawn by a write that sends no signal and refreshes nothing: its entry and listings stay behind.
    Report.objects.filter(pk=report.pk).update(state=ReportState.WITHDRAWN, withdrawn_at=timezone.now())
    assert PublishedEntry.objects.filter(report=report).exists()
    forget_cached_pages()
    for query in ["", "?year=2024", "?region=140000", "?level=province&kind=department"]:
        assert "sx-yjglt/" not in body(client.get(f"/published/{query}")), query
        assert "sx-yjglt/" not in body(client.get(f"/published/{query}{'&' if query else '?'}page=2")), query
        assert client.get(f"/api/v1/reports/{query}").json()["results"] == [], query


def test_a_missed_refresh_hides_a_withdrawn_report_rather_than_show_it(client, places, cycle, sx_filer, sx_reviewer):
    report = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text=PUBLIC_TEXT)
    actions.withdraw_report(report=report, by=sx_reviewer, reason="需要核实。")
    forget_cached_pages()
    for url in [
        "/published/",
        f"/published/?q={PART_OF_PUBLIC_TEXT}",
        "/api/v1/reports/",
        "/feed/",
        "/sitemap-reports.xml",
    ]:
        assert PUBLIC_TEXT not in body(client.get(url)), url
        assert "sx-yjglt/" not in body(client.get(url)), url
