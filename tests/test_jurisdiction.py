from reports.agencies.models import Agency


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_provincial_justice_department_reviews_its_departments_and_city_governments(places):
    reviewed = names(Agency.objects.reviewed_by(places.sx_justice))
    assert {"山西省应急管理厅", "山西省人民政府", "长治市人民政府"} <= reviewed
    assert "长治市应急管理局" not in reviewed
    assert "潞城区人民政府" not in reviewed


def test_city_justice_bureau_reviews_its_bureaus_and_county_governments(places):
    reviewed = names(Agency.objects.reviewed_by(places.cz_justice))
    assert {"长治市应急管理局", "长治市人民政府", "潞城区人民政府"} <= reviewed
    assert "山西省应急管理厅" not in reviewed


def test_justice_department_reviews_nothing_in_another_province(places):
    assert not places.sx_justice.reviews(places.hb_emergency)


def test_an_agency_that_is_not_a_justice_department_reviews_nobody(places):
    assert not Agency.objects.reviewed_by(places.sx_emergency).exists()
    assert not places.cz_government.reviews(places.cz_emergency)


def test_a_province_that_decided_nothing_has_the_default_policy(places):
    from reports.agencies.models import OwnReportApproval, ProvincePolicy

    policy = ProvincePolicy.objects.for_region(places.lucheng)
    assert (policy.province_id, policy.pk) == (places.shanxi.pk, None)
    assert not policy.administrators_read_drafts and not policy.reviewers_read_unsubmitted
    assert policy.own_report_approval == OwnReportApproval.LEVEL_ABOVE
    ProvincePolicy.objects.create(province=places.shanxi, reviewers_read_unsubmitted=True)
    assert ProvincePolicy.objects.for_region(places.changzhi).reviewers_read_unsubmitted
    assert not ProvincePolicy.objects.for_region(places.hebei).reviewers_read_unsubmitted
