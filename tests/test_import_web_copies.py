"""A report copied from a government website's page: the page's metadata block is recognised, read for the title
and the publisher, removed and listed; and publishing straight from a file with warnings needs --force."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports.filing.models import Report
from reports.transfer.importer import Target, read_report
from tests.transfer_tools import CHANGZHI, sample_text, unaccounted

TITLE = "关于2022年度法治政府建设情况报告"
BLOCK = [
    "索引号：11140400MB1957013L/2023-00008",
    "发布机构：{publisher}\t生成日期：2023-01-03",
    f"标题：{TITLE}",
    "文号：",
    "主题分类：政务公开 时效：有效",
    "来源：长治市应急管理局 浏览次数：1325",
    "【字号 大 中 小】 打印本页 关闭窗口",
    "无障碍 简体|繁体",
    "https://yjj.changzhi.gov.cn/zwgk/fdzdgknr/202301/t20230103_2716540.shtml",
]


def _web_copy(publisher: str, *, with_title: bool = True) -> str:
    body = sample_text(CHANGZHI).splitlines()
    if not with_title:
        body = [line for line in body if line.strip() != TITLE]
    return "\n".join([*(line.format(publisher=publisher) for line in BLOCK), *body])


def _read(report, text):
    return read_report(text.encode(), file_name="report.txt", target=Target.of(report))


def test_the_metadata_block_is_removed_listed_and_read_for_the_title(places):
    from reports.filing import services

    report = services.start_report(agency=places.cz_emergency, cycle=services.open_cycle(year=2022))
    text = _web_copy("长治市应急管理局")
    result = _read(report, text)
    snapshot = result.snapshot
    assert snapshot["title"] == TITLE
    assert "标题" not in snapshot["title"]
    assert snapshot["addressee"] == ""
    assert TITLE not in snapshot["preface"]
    assert not any("索引号" in p or "http" in p for p in snapshot["preface"] + result.unplaced)
    assert result.summary["warnings"] == []
    assert not unaccounted(text, result)
    assert any("索引号" in removed for removed in result.summary["removed"])


def test_without_a_title_line_the_title_comes_from_the_block(places):
    from reports.filing import services

    report = services.start_report(agency=places.cz_emergency, cycle=services.open_cycle(year=2022))
    result = _read(report, _web_copy("长治市应急管理局", with_title=False))
    assert result.snapshot["title"] == TITLE


def test_a_publisher_other_than_the_agency_is_a_warning(places):
    from reports.filing import services

    report = services.start_report(agency=places.cz_emergency, cycle=services.open_cycle(year=2022))
    result = _read(report, _web_copy("长治市司法局"))
    assert any("发布机构“长治市司法局”" in warning for warning in result.summary["warnings"])


def test_a_url_line_is_never_glued_onto_the_first_paragraph(cz_draft):
    text = "关于2024年度法治政府建设情况的报告\nhttp://www.example.gov.cn/a/b.html\n2024年，我局全面推进依法行政\n工作取得实效。"
    result = _read(cz_draft, text)
    assert result.snapshot["preface"] == ["2024年，我局全面推进依法行政工作取得实效。"]


def test_an_addressee_line_is_recognised_without_a_title(cz_draft):
    result = _read(cz_draft, "长治市人民政府：\n2024年，我局全面推进依法行政。\n一、主要举措\n内容。")
    assert result.snapshot["addressee"] == "长治市人民政府"


def test_publishing_straight_from_a_file_with_warnings_needs_force(places, tmp_path):
    path = tmp_path / "网页.txt"
    path.write_text(_web_copy("长治市司法局"), encoding="utf-8")
    arguments = [str(path), "--agency", "cz-yjglj", "--year", "2022", "--publish"]
    with pytest.raises(CommandError, match="未导入也未发布") as refused:
        call_command("import_report", *arguments, stdout=io.StringIO())
    assert "发布机构“长治市司法局”" in str(refused.value) and "--force" in str(refused.value)
    assert not Report.objects.filter(agency=places.cz_emergency, cycle__year=2022, state="published").exists()
    call_command("import_report", *arguments, "--force", stdout=io.StringIO())
    assert Report.objects.get(agency=places.cz_emergency, cycle__year=2022).state == "published"
