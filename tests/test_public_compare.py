import datetime

import pytest

from reports.filing import services
from reports.publication.charts import line_chart
from reports.publication.comparison import promises_kept, section_pairs
from tests.publishing import report_from_snapshot, snapshot


def point(heading, text, *indicators):
    return {
        "heading": heading,
        "paragraphs": [text],
        "indicators": [dict(zip(("name", "value", "unit"), i, strict=True)) for i in indicators],
    }


PLANS_2023 = {
    "points": [
        {"heading": "加强政策研究和立法工作", "paragraphs": ["起草好省政府1号文件。"]},
        {"heading": "深化综合行政执法改革", "paragraphs": ["推进执法队伍规范化建设。"]},
    ]
}
RULINGS_2023 = {
    "reconsideration_received": 3,
    "defendant_new": 5,
    "defendant_lost": 1,
    "hearings": 4,
    "leader_appearances": 4,
}
RULINGS_2024 = {
    "reconsideration_received": 6,
    "defendant_new": 2,
    "defendant_lost": 0,
    "hearings": 2,
    "leader_appearances": 2,
}


@pytest.fixture
def history(places):
    """山西省应急管理厅's reports for 2022 to 2024; the 2024 one answers the 2023 plans one by one."""
    agency = places.sx_emergency
    measures_2023 = {
        "chapters": [
            {"heading": "", "points": [point("强化执法检查", "检查企业19.2万家。", ("检查企业", "19.2", "万家"))]}
        ]
    }
    measures_2024 = {
        "chapters": [
            {
                "heading": "",
                "points": [
                    point("完善地方立法", "起草并报审省政府1号文件。"),
                    point("强化执法检查", "检查企业21万家。", ("检查企业", "21", "万家")),
                ],
            }
        ],
        "commitments": [
            {"heading": "加强政策研究和立法工作", "text": ["起草好省政府1号文件。"], "done": True, "point": [0, 0]},
            {"heading": "深化综合行政执法改革", "text": ["推进执法队伍规范化建设。"], "done": False, "point": None},
        ],
        "a_field_added_later": {"anything": [1, 2]},
    }
    snapshots = {
        2022: snapshot(
            agency,
            2022,
            measures={"chapters": [{"heading": "", "points": [point("建章立制", "修订执法制度。")]}]},
            plans={"points": [{"heading": "推进普法", "paragraphs": ["开展宪法宣传。"]}]},
        ),
        2023: snapshot(agency, 2023, measures=measures_2023, rulings=RULINGS_2023, plans=PLANS_2023),
        2024: snapshot(agency, 2024, measures=measures_2024, rulings=RULINGS_2024),
    }
    for year, content in snapshots.items():
        report_from_snapshot(agency, services.open_cycle(year=year), content, datetime.date(year + 1, 3, 15))
    return snapshots


def test_the_agency_page_lists_its_published_years_and_links_the_comparison(client, history):
    page = client.get("/agencies/sx-yjglt/").content.decode()
    for year in (2022, 2023, 2024):
        assert f'href="/published/{year}/sx-yjglt/"' in page
    assert 'href="/agencies/sx-yjglt/compare/"' in page


def test_the_agency_page_draws_the_court_figures_over_the_years_as_svg(client, history):
    page = client.get("/agencies/sx-yjglt/").content.decode()
    assert page.count("<svg") >= 3
    assert 'role="img"' in page
    assert "<title>2023年度 作为被告的行政诉讼（新收）：5</title>" in page
    assert "<title>2024年度 作为被告的行政诉讼（新收）：2</title>" in page
    assert "<script" not in page.split("<main")[1].split("</main>")[0]


def test_the_agency_page_tables_the_measures_indicators_by_year(client, history):
    page = client.get("/agencies/sx-yjglt/").content.decode()
    row = page.split('<th scope="row">检查企业</th>')[1].split("</tr>")[0]
    assert row == "<td>万家</td><td>—</td><td>19.2</td><td>21</td>"
    assert "检查企业（万家）" in page


def test_the_comparison_puts_the_latest_year_beside_the_year_before_section_by_section(client, history):
    page = client.get("/agencies/sx-yjglt/compare/").content.decode()
    assert "2023年度与2024年度" in page
    assert "检查企业19.2万家。" in page
    assert "检查企业21万家。" in page
    assert page.index("检查企业19.2万家。") < page.index("检查企业21万家。")
    assert "（本部分没有文字内容）" in page


def test_the_comparison_says_which_of_last_years_plans_were_done(client, history):
    page = client.get("/agencies/sx-yjglt/compare/").content.decode()
    promises = page.split('id="promises-heading"')[1].split("</section>")[0]
    done, open_ = promises.split("</tr>")[1:3]
    assert "加强政策研究和立法工作" in done
    assert "已完成" in done
    assert "见“完善地方立法”" in done
    assert "深化综合行政执法改革" in open_
    assert "报告未说明" in open_


def test_without_answers_in_the_report_the_plans_and_measures_stand_side_by_side(client, history):
    page = client.get("/agencies/sx-yjglt/compare/?from=2022&to=2023").content.decode()
    promises = page.split('id="promises-heading"')[1].split("</section>")[0]
    assert "没有逐项说明" in promises
    assert "<li>推进普法</li>" in promises
    assert "<li>强化执法检查</li>" in promises


def test_the_comparison_shows_the_peers_figures_for_the_later_year(
    client, history, places, cycle, sx_filer, sx_reviewer
):
    peer = snapshot(places.hb_emergency, 2024, rulings={"defendant_new": 9, "defendant_lost": 3})
    report_from_snapshot(places.hb_emergency, services.open_cycle(year=2024), peer, datetime.date(2025, 4, 20))
    page = client.get("/agencies/sx-yjglt/compare/").content.decode()
    peers = page.split('id="peers-heading"')[1].split("</section>")[0]
    assert peers.index("山西省应急管理厅") < peers.index("河北省应急管理厅")
    hebei = peers.split("河北省应急管理厅")[1].split("</tr>")[0]
    assert "逾期公开" in hebei
    assert "<td>9</td><td>3</td>" in hebei
    assert "山西省人民政府" not in peers


def test_years_that_cannot_be_compared_are_a_400(client, history):
    for query in ["?from=2024&to=2022", "?from=2024&to=2024", "?from=abc", "?to=2021", "?to=2022"]:
        response = client.get(f"/agencies/sx-yjglt/compare/{query}")
        assert response.status_code == 400, query
        assert "alert-danger" in response.content.decode()


def test_an_agency_with_one_published_year_has_nothing_to_compare(client, places):
    content = snapshot(places.cz_emergency, 2024)
    report_from_snapshot(places.cz_emergency, services.open_cycle(year=2024), content, datetime.date(2025, 3, 1))
    page = client.get("/agencies/cz-yjglj/compare/")
    assert page.status_code == 200
    assert "不足两个年度" in page.content.decode()
    assert client.get("/agencies/nobody/").status_code == 404


def test_section_contents_in_an_unexpected_shape_are_read_without_failing(places):
    odd = snapshot(places.sx_emergency, 2024, measures={"chapters": None, "commitments": [{"point": [9, 9]}, "x"]})
    odd["sections"].append("not a section")
    earlier = snapshot(places.sx_emergency, 2023, plans={"points": [{"heading": "计划一"}, None]})
    kept = promises_kept(earlier, odd)
    assert kept.tracked
    assert kept.rows[0].answer == ""
    assert [pair.key for pair in section_pairs(earlier, odd)] == ["measures", "rulings", "plans"]


def test_a_chart_leaves_a_gap_for_a_missing_year_and_scales_to_a_round_top():
    chart = line_chart("案件", [2021, 2022, 2023, 2024], [("新收", [3, None, 7, 8])])
    assert chart.lines[0].path.count("M") == 2
    assert [label for _, label in chart.ticks] == ["0", "5", "10"]
    assert line_chart("案件", [2021], [("新收", [None])]) is None


def test_the_comparison_pages_run_a_bounded_number_of_queries(client, history, django_assert_max_num_queries):
    for url in ["/agencies/sx-yjglt/", "/agencies/sx-yjglt/compare/"]:
        # The page's own (at most 8), and on this first read keeping it: the kept row, the agency and its peers,
        # their facts before and after rendering, the keeping (reports.publication.agency_pages).
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_a_chart_of_whole_numbers_has_no_tick_between_them():
    chart = line_chart("判决", [2023, 2024], [("履行", [1, 5])])
    assert [label for _, label in chart.ticks] == ["0", "5"]
