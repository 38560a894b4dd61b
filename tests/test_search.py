import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reports.filing import services
from reports.publication import search
from reports.publication.models import PublishedEntry
from reports.publication.search import (
    RUN,
    index_tokens,
    search_terms,
    snippet,
    tsquery_literal,
    tsvector_literal,
    with_bigrams,
)
from reports.publication.services import rebuild_search_index
from reports.workflow import actions
from tests.factories import filer_of, fill_required_sections
from tests.publishing import published_report

only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the bigram index exists only on PostgreSQL (SQLite searches the text alone); CI runs on PostgreSQL",
)


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


def test_the_index_holds_the_bigrams_and_trigrams_marked_across_punctuation_and_the_last_character():
    bigrams = {"法治", "治政", "政府", "府_p", "pd", "df", "f版"}
    trigrams = {"法治政", "治政府", "政府_p", "府_pd", "pdf", "df版"}
    assert index_tokens("法治政府，PDF版") == bigrams | trigrams | {"版"}
    assert index_tokens("作用。五、下") == {"作用", "用_五", "五_下", "作用_五", "用_五_下", "下"}
    assert index_tokens("作用 —— 五") == index_tokens("作用。五"), "one mark for a boundary, whatever is in it"


def test_a_query_asks_for_every_trigram_a_two_letter_term_its_bigram_and_a_lone_character_a_prefix():
    assert tsquery_literal(["依法行政"]) == "'依法行' & '法行政'"
    assert tsquery_literal(["法", "法治"]) == "'法':* & '法治'"
    assert tsquery_literal(["作用。五、下"]) == "'作用_五' & '用_五_下'"


def test_a_query_marks_the_punctuation_inside_a_term_and_not_at_its_edges():
    assert tsquery_literal(["工作认真"]) == "'工作认' & '作认真'"
    assert tsquery_literal(["“工作认真”，"]) == "'工作认' & '作认真'"
    assert tsquery_literal(["作。用"]) == "'作_用'"
    assert tsquery_literal(["依，法，行"]) == "'依_法_行'"
    assert tsquery_literal(["。法、"]) == "'法':*"
    assert tsquery_literal(["PDF/UA"]) == "'pdf' & 'df_u' & 'f_ua'"
    assert tsquery_literal(["2023年"]) == "'202' & '023' & '23年'"


def test_case_is_folded_as_postgresql_upper_folds_it():
    # lower() would give ας here and ασβ in the text (the Greek final sigma), ı and ſ apart from i and s.
    assert tsquery_literal(["ΑΣ"]) == tsquery_literal(["ας"]) == "'ασ'"
    assert "ασ" in index_tokens("ΑΣΒ")
    assert index_tokens("ıſ") == index_tokens("IS") == index_tokens("is")
    assert tsquery_literal(["PDF"]) == tsquery_literal(["pdf"]) == tsquery_literal(["Pdf"]) == "'pdf'"
    assert tsquery_literal(["ＰＤＦ"]) == "'ｐｄｆ'"
    # U+0345 is a mark, not a letter, but UPPER makes it Ι: folded first, it is a letter of the run.
    assert "αι" in index_tokens("\u0391\u0345")


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


@pytest.fixture
def phrases(places, cycle, sx_filer, cz_filer, sx_reviewer, cz_reviewer):
    published_report(
        places.sx_emergency, cycle, sx_filer, sx_reviewer, text="发挥示范作用。五、下一步工作。认真总结经验。"
    )
    published_report(places.cz_emergency, cycle, cz_filer, cz_reviewer, text="干部工作认真负责，发挥作用五年。")
    published_report(places.cz_government, cycle, filer_of(places.cz_government), cz_reviewer, text="采用ΑΣΒ编码。")


def candidates(terms):
    entries = with_bigrams(PublishedEntry.objects.all(), terms)
    return sorted(entries.values_list("agency__name", flat=True))


@only_on_postgresql
def test_a_phrase_is_not_a_candidate_where_its_characters_are_apart_across_punctuation(client, phrases):
    # 工作。认真 held 工作认 and 作认真 when the n-grams spanned punctuation unmarked.
    assert candidates(["工作认真"]) == ["长治市应急管理局"]
    assert found(client, "工作认真") == ["长治市应急管理局"]


@only_on_postgresql
def test_a_pasted_phrase_asks_for_its_punctuation_and_finds_the_report_that_holds_it(client, phrases):
    assert candidates(["作用。五"]) == ["山西省应急管理厅"]
    assert found(client, "作用。五") == ["山西省应急管理厅"]
    assert found(client, "工作。认真总结") == ["山西省应急管理厅"]
    assert found(client, "作用五") == ["长治市应急管理局"]


def test_a_greek_term_is_found_whatever_its_final_sigma(client, phrases):
    assert found(client, "ΑΣ") == ["长治市人民政府"]
    assert found(client, "ΣΒ编") == ["长治市人民政府"]


@only_on_postgresql
def test_the_migration_writes_the_tokens_the_code_writes(phrases):
    migration = importlib.import_module("reports.publication.migrations.0008_search_boundaries")
    table = PublishedEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET search_bigrams = 'stale'::tsvector")
        # The fixtures' foreign keys are checked at commit, which an index cannot be built before.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        migration.rewrite_tokens(None, SimpleNamespace(connection=connection))
        cursor.execute(f"SELECT body, search_bigrams::text FROM {table}")
        rows = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'entry_search_bigrams'")
        assert cursor.fetchone()[0] == 1
        for body, tokens in rows:
            cursor.execute("SELECT %s::tsvector::text", [tsvector_literal(body)])
            assert tokens == cursor.fetchone()[0]
    assert len(rows) == 3


# Characters whose case PostgreSQL and Python treat unlike (the Greek sigmas, dotless ı, long ſ, the micro sign,
# the iota subscript U+0345, ß and ẞ, the Kelvin sign, a titlecase digraph), beside Chinese, Latin, digits,
# full-width letters, punctuation and spaces.
ALPHABET = "工作认真法治政府用五ΑΣσςΒβIiıİSsſµΜμ\u0345ßẞKk\u212aǅǄǆaAbB12ＰＤＦｐ。，、.-/_%\\ "
PROPERTIES = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def case_variants(char: str) -> list[str]:
    """The characters one may write for it and icontains still accept: those of the same uppercase."""
    variants = (char, char.upper(), char.lower(), char.upper().lower(), char.casefold())
    return sorted({v for v in variants if len(v) == 1 and v.upper() == char.upper()})


@st.composite
def texts_and_searches(draw):
    """A text, and a stretch of it in other cases, as a reader might type it."""
    text = draw(st.text(alphabet=ALPHABET, max_size=40))
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    typed = "".join(draw(st.sampled_from(case_variants(char))) for char in text[start:end])
    return text, typed


def asked(terms: list[str]) -> list[tuple[str, bool]]:
    """The lexemes a query asks for, each with whether it is a prefix."""
    literal = tsquery_literal(terms)
    return [(part.removesuffix(":*")[1:-1], part.endswith(":*")) for part in literal.split(" & ") if literal]


@PROPERTIES
@given(texts_and_searches())
@example(("采用ΑΣΒ编码", "ΑΣ"))
@example(("作用。五、下", "作用。五"))
@example(("\u0391\u0345", "αι"))
@example(("ıſ", "IS"))
def test_every_string_a_text_holds_has_its_query_tokens_in_the_texts_tokens(text_and_search):
    text, typed = text_and_search
    tokens = index_tokens(text)
    for term in typed.split():
        if RUN.search(term):
            for lexeme, prefix in asked([term]):
                assert any(t.startswith(lexeme) for t in tokens) if prefix else lexeme in tokens, (term, lexeme)


def like_pattern(term: str) -> str:
    """`%term%` escaped as Django's icontains escapes it."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@only_on_postgresql
@PROPERTIES
@given(texts_and_searches(), st.text(alphabet=ALPHABET, max_size=4))
def test_what_postgresql_upper_like_accepts_the_index_finds(db, text_and_search, other):
    text, typed = text_and_search
    with connection.cursor() as cursor:
        for term in [*typed.split(), other.strip()]:
            if not RUN.search(term):
                continue
            cursor.execute(
                "SELECT UPPER(%s) LIKE UPPER(%s), %s::tsvector @@ %s::tsquery",
                [text, like_pattern(term), tsvector_literal(text), tsquery_literal([term])],
            )
            accepted, found_by_index = cursor.fetchone()
            assert found_by_index or not accepted, (text, term)


@only_on_postgresql
def test_every_character_of_one_postgresql_uppercase_folds_alike(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i, ascii(upper(chr(i))) FROM generate_series(1, 1114111) i "
            "WHERE i NOT BETWEEN 55296 AND 57343 AND upper(chr(i)) <> chr(i)"
        )
        mapped = cursor.fetchall()
    groups: dict[str, set[str]] = {}
    for char, upper in mapped:
        groups.setdefault(chr(upper), {chr(upper)}).add(chr(char))
    assert len(groups) > 1000
    assert not [group for group in groups.values() if len({frozenset(index_tokens(char * 2)) for char in group}) > 1]


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
