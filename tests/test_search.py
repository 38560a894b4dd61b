import pytest
from django.db import connection

from reports.filing import services
from reports.publication import search
from reports.publication.models import PublishedEntry
from reports.publication.search import index_tokens, search_terms, snippet, tsquery_literal
from reports.publication.services import rebuild_search_index
from reports.workflow import actions
from tests.factories import filer_of, fill_required_sections
from tests.publishing import forget_cached_pages, published_report

only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the bigram index exists only on PostgreSQL (SQLite searches the text alone); CI runs on PostgreSQL",
)


@pytest.fixture(autouse=True)
def fresh_cache():
    forget_cached_pages()
    yield
    forget_cached_pages()


@pytest.fixture
def texts(places, cycle, sx_filer, cz_filer, sx_reviewer, cz_reviewer):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="全年办理行政复议案件12件，均依法审结。")
    published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer, text="规范行政执法行为，及时答复复议申请。")
    published_report(
        places.cz_government,
        cycle,
        filer_of(places.cz_government),
        cz_reviewer,
        text="推进<b>政务公开</b>，开展ＰＤＦ归档。2023 年 OFD UA 版",
    )


def found(client, query):
    page = client.get("/published/", {"q": query}).content.decode()
    listed = page[page.index('id="published-reports"') :]
    return [name for name in ["山西省应急管理厅", "长治市应急管理局", "长治市人民政府"] if name in listed]


def test_the_index_holds_the_bigrams_and_trigrams_across_punctuation_and_the_last_character():
    bigrams = {"法治", "治政", "政府", "府p", "pd", "df", "f版"}
    trigrams = {"法治政", "治政府", "政府p", "府pd", "pdf", "df版"}
    assert index_tokens("法治政府，PDF版") == bigrams | trigrams | {"版"}


def test_a_query_asks_for_every_trigram_a_two_letter_term_its_bigram_and_a_lone_character_a_prefix():
    assert tsquery_literal(["依法行政"]) == "'依法行' & '法行政'"
    assert tsquery_literal(["法", "法治"]) == "'法':* & '法治'"
    assert tsquery_literal(["作用。五、下"]) == "'作用五' & '用五下'"


def test_a_query_is_split_at_spaces_into_distinct_terms():
    assert search_terms("  行政复议   败诉 行政复议 ，") == ["行政复议", "败诉"]
    assert len(search_terms(" ".join(str(n) for n in range(10)))) == 5


def test_spaces_between_chinese_and_latin_or_digits_do_not_count():
    assert search.searchable_text("关于 2023 年法治 PDF UA 报告\n12 件") == "关于2023年法治PDF UA报告\n12件"
    assert search_terms("2023 年 法治") == ["2023年", "法治"]


def test_a_year_is_found_with_or_without_the_space_the_report_wrote(client, texts):
    assert found(client, "2023年") == ["长治市人民政府"]
    assert found(client, "2023 年") == ["长治市人民政府"]
    assert found(client, "OFD UA版") == ["长治市人民政府"]
    page = client.get("/published/", {"q": "2023年"}).content.decode()
    assert "<mark>2023年</mark>" in page


def test_search_finds_the_exact_string_not_its_characters_apart(client, texts):
    assert found(client, "行政复议") == ["山西省应急管理厅"]
    assert found(client, "复议") == ["山西省应急管理厅", "长治市应急管理局"]
    assert found(client, "执法行为") == ["长治市应急管理局"]
    assert found(client, "复议行政") == []


def test_every_term_must_appear(client, texts):
    assert found(client, "复议 执法") == ["长治市应急管理局"]
    assert found(client, "复议 审结") == ["山西省应急管理厅"]


def test_one_character_and_latin_letters_are_found(client, texts):
    assert found(client, "均") == ["山西省应急管理厅"]
    assert found(client, "12") == ["山西省应急管理厅"]
    assert found(client, "pdf") == []
    assert found(client, "ＰＤＦ") == ["长治市人民政府"]


def test_results_show_the_text_around_the_hit_with_the_hits_marked(client, texts):
    page = client.get("/published/", {"q": "复议 审结"}).content.decode()
    assert "<mark>复议</mark>案件12件，均依法<mark>审结</mark>" in page


def test_a_snippet_escapes_the_reports_text():
    marked = snippet("推进<b>政务公开</b>工作", ["政务"])
    assert marked == "推进&lt;b&gt;<mark>政务</mark>公开&lt;/b&gt;工作"


def test_a_snippet_starts_near_the_first_hit_of_a_long_text():
    body = "甲" * 500 + "行政复议" + "乙" * 500
    marked = snippet(body, ["行政复议"])
    assert marked.startswith("…")
    assert marked.endswith("…")
    assert "<mark>行政复议</mark>" in marked
    assert len(marked) < 120


def test_a_very_common_term_is_counted_only_up_to_the_limit(client, texts, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    page = client.get("/published/", {"q": "报告"}).content.decode()
    assert "找到的报告在 2 份以上" in page
    assert page.count('class="list-group-item entry"') == 2


@only_on_postgresql
def test_the_bigram_index_holds_every_published_report_and_answers_searches(texts):
    with connection.cursor() as cursor:
        table = PublishedEntry._meta.db_table
        cursor.execute(f"SELECT count(*) FROM {table} WHERE search_bigrams @@ %s::tsquery", [tsquery_literal(["复议"])])
        assert cursor.fetchone()[0] == 2
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN SELECT report_id FROM {table} WHERE search_bigrams @@ %s::tsquery",
            [tsquery_literal(["行政复议"])],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "entry_search_bigrams" in plan
    assert PublishedEntry.objects.count() == 3


@only_on_postgresql
def test_the_index_leaves_out_a_report_that_holds_a_phrases_pairs_of_characters_only_apart(client, texts):
    # 规范行政执法行为 holds 执法, 法行 and 行政, but not 执法行政: the trigram 法行政 is not in it.
    with connection.cursor() as cursor:
        table = PublishedEntry._meta.db_table
        query = f"SELECT count(*) FROM {table} WHERE search_bigrams @@ %s::tsquery"
        cursor.execute(query, ["'执法' & '法行' & '行政'"])
        assert cursor.fetchone()[0] == 1
        cursor.execute(query, [tsquery_literal(["执法行政"])])
        assert cursor.fetchone()[0] == 0
    assert found(client, "执法行政") == []
    assert found(client, "行政执法行为") == ["长治市应急管理局"]


def test_rebuilding_the_index_brings_it_in_step_with_what_is_published(
    places, cycle, sx_filer, cz_filer, sx_reviewer, cz_reviewer
):
    kept = published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="保留的报告。")
    gone = published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer)
    actions.withdraw_report(report=gone, by=cz_reviewer, reason="撤回。")
    assert not PublishedEntry.objects.filter(report=gone).exists(), "withdrawing removes the entry at once"
    missed = services.start_report(agency=places.cz_government, cycle=cycle)
    fill_required_sections(missed)
    actions.submit_report(report=missed, by=filer_of(places.cz_government))
    actions.approve_report(report=missed, by=cz_reviewer)
    actions.publish_report(report=missed, by=cz_reviewer)
    PublishedEntry.objects.filter(report=missed).delete()
    assert rebuild_search_index() == (1, 0)
    assert set(PublishedEntry.objects.values_list("report", flat=True)) == {kept.pk, missed.pk}
    assert rebuild_search_index() == (0, 0)
    assert rebuild_search_index(everything=True) == (2, 0)


def test_a_search_too_broad_to_answer_in_time_says_so(client, texts, monkeypatch):
    def too_broad(*args, **kwargs):
        raise search.SearchTooBroad

    monkeypatch.setattr(search.SearchPaginator, "page", too_broad)
    page = client.get("/published/", {"q": "报告"})
    assert page.status_code == 200
    assert "请换用更具体的词语" in page.content.decode()
    response = client.get("/api/v1/reports/", {"q": "报告"})
    assert response.status_code == 400
    assert "q" in response.json()
