"""Regions from the official GB/T 2260 table that ships with the source: loaded idempotently, a province its part."""

from django.core.management import call_command

from reports.agencies.models import Level, Region
from reports.agencies.regions import divisions, load_regions


def test_the_whole_table_loads_with_each_division_under_its_parent(db):
    loaded = load_regions()
    assert loaded.created == len(divisions()) > 3000
    assert Region.objects.filter(level=Level.PROVINCE).count() == 34
    changzhi = Region.objects.get(code="140400")
    assert (changzhi.name, changzhi.level, changzhi.parent.code) == ("长治市", Level.CITY, "140000")
    lucheng = Region.objects.get(code="140406")
    assert (lucheng.name, lucheng.level, lucheng.parent_id) == ("潞城区", Level.COUNTY, changzhi.pk)
    # Divisions with no prefecture above them hang from the province: Beijing's districts, 济源市 of Henan.
    assert Region.objects.get(code="110105").parent.code == "110000"
    assert Region.objects.get(code="419001").parent.code == "410000"


def test_loading_again_changes_nothing(db):
    load_regions(province_code="140000")
    before = list(Region.objects.values_list("pk", "code", "name", "parent_id"))
    again = load_regions(province_code="140000")
    assert (again.created, again.renamed) == (0, 0)
    assert list(Region.objects.values_list("pk", "code", "name", "parent_id")) == before


def test_a_province_loads_only_its_own_part(db):
    load_regions(province_code="140000")
    codes = set(Region.objects.values_list("code", flat=True))
    assert codes and all(code.startswith("14") for code in codes)
    assert {"140000", "140400", "140406", "141100"} <= codes


def test_an_official_rename_updates_the_division_and_keeps_its_agencies(places):
    places.changzhi.name = "长治地区"
    places.changzhi.save()
    load_regions(province_code="140000")
    places.changzhi.refresh_from_db()
    assert places.changzhi.name == "长治市"
    assert places.cz_justice.region_id == places.changzhi.pk


def test_the_command_loads_a_province_and_refuses_an_unknown_code(db, capsys):
    call_command("load_regions", "--province", "14")
    assert "新增" in capsys.readouterr().out
    assert Region.objects.filter(code__startswith="14").count() == len(divisions("140000"))
    try:
        call_command("load_regions", "--province", "99")
    except Exception as error:
        assert "不是" in str(error)
    else:
        raise AssertionError("an unknown province code was accepted")
