"""The security log (等保 2.0 安全审计): who, when, from where, what; every workflow action; append-only; the
administrator searches and exports their region's part; kept at least six months, pruned past the retention."""

import csv
import datetime
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from reports.audit.models import Kind, SecurityEvent
from reports.audit.services import prune_security_log, record
from reports.workflow import actions
from tests.factories import fill_required_sections, make_administrator, make_user


def test_every_workflow_action_is_in_the_security_log(client, sx_draft, sx_filer, sx_reviewer):
    fill_required_sections(sx_draft)
    client.force_login(sx_filer)
    submit = client.post(f"/work/reports/{sx_draft.pk}/submit/", {"confirm": "on"}, REMOTE_ADDR="10.1.1.1")
    assert submit.status_code == 302
    actions.return_report(report=sx_draft, by=sx_reviewer, reason="请补充数据。")
    events = list(SecurityEvent.objects.filter(kind=Kind.WORKFLOW).order_by("pk"))
    assert [(e.username, e.detail) for e in events] == [
        (sx_filer.username, "报送"),
        (sx_reviewer.username, "退回修改：请补充数据。"),
    ]
    assert events[0].address == "10.1.1.1"
    assert events[0].target == "山西省应急管理厅 2024年度报告"
    assert events[0].region.code == "140000"


def test_the_reviewers_csv_export_is_logged(client, sx_reviewer, cycle):
    client.force_login(sx_reviewer)
    assert client.get("/review/2024/?format=csv").status_code == 200
    event = SecurityEvent.objects.get(kind=Kind.EXPORTED)
    assert event.actor == sx_reviewer and "2024" in event.target


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_a_recent_event(db):
    event = record(kind=Kind.LOGIN, username="someone")
    for sql in (
        "UPDATE audit_securityevent SET username = 'other' WHERE id = %s",
        "DELETE FROM audit_securityevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert SecurityEvent.objects.get(pk=event.pk).username == "someone"


def test_the_application_refuses_to_change_an_event(db):
    event = record(kind=Kind.LOGIN, username="someone")
    event.username = "other"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        SecurityEvent.objects.filter(pk=event.pk).update(username="other")
    with pytest.raises(TypeError):
        event.delete()


def _old_event(days: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_securityevent (at, kind, username, target, detail) VALUES (%s, 'login', 'old', '', '')",
            [timezone.now() - datetime.timedelta(days=days)],
        )


def test_pruning_keeps_six_months_at_least_and_removes_what_is_past_the_retention(db, settings):
    settings.SECURITY_LOG_RETENTION_DAYS = 365
    _old_event(400)
    _old_event(200)
    record(kind=Kind.LOGIN, username="today")
    assert prune_security_log() == 1
    assert sorted(SecurityEvent.objects.values_list("username", flat=True)) == ["old", "today"]
    settings.SECURITY_LOG_RETENTION_DAYS = 30  # below the legal minimum: six months still kept
    assert prune_security_log() == 1
    assert list(SecurityEvent.objects.values_list("username", flat=True)) == ["today"]


def test_the_administrator_searches_and_exports_their_regions_log(client, places, sx_filer, cycle):
    hebei_filer = make_user("hb-filer", places.hb_emergency)
    record(kind=Kind.LOGIN, actor=sx_filer)
    record(kind=Kind.LOGIN, actor=hebei_filer)
    record(kind=Kind.LOGIN_FAILED, username=sx_filer.username, region=places.shanxi)
    admin = make_administrator("sx-admin", places.shanxi)
    client.force_login(admin)
    page = client.get("/console/security-log/").content.decode()
    assert sx_filer.username in page and "hb-filer" not in page
    page = client.get("/console/security-log/", {"kind": "login_failed"}).content.decode()
    assert page.count("登录失败") >= 2 and "登录成功</td>" not in page
    response = client.get("/console/security-log/", {"who": sx_filer.username, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "事件", "用户名"]
    assert {row[2] for row in rows[1:]} == {sx_filer.username}
    xlsx = client.get("/console/security-log/", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert SecurityEvent.objects.filter(kind=Kind.EXPORTED, actor=admin).count() == 2


def test_only_administrators_read_the_security_log(client, sx_filer, sx_reviewer):
    for user in (sx_filer, sx_reviewer):
        client.force_login(user)
        assert client.get("/console/security-log/").status_code == 404


def test_removing_a_person_leaves_their_events_as_they_were(sx_filer):
    record(kind=Kind.LOGIN, actor=sx_filer)
    sx_filer.delete()
    event = SecurityEvent.objects.select_related("actor").get()
    assert (event.username, event.actor) == ("sx-yjglt-filer", None)


def test_the_pruning_is_a_daily_scheduled_job(db, settings):
    from reports.audit.tasks import prune_old_security_events

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == prune_old_security_events.name)
    assert entry["schedule"].hour == {3}
    _old_event(400)
    assert prune_old_security_events.apply().get() == 1
