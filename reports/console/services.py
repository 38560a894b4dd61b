"""The provincial administrator's writes: agencies, staff, the province's policy and cycle settings. Each one is
scoped to the administrator's region, owns its transaction and is written to the security log."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.accounts.services import set_password_by_administrator
from reports.agencies.models import Agency, ProvincePolicy, Region, Role, User
from reports.agencies.regions import LoadedRegions, load_regions
from reports.audit.models import Kind
from reports.audit.services import record
from reports.filing.models import CycleSection, ProvincialCycleSettings, ReportingCycle
from reports.filing.services import apply_cycle_sections


class ConsoleError(Exception):
    """A console action refused, with a message fit to show the administrator."""


def within(region: Region, other: Region | None) -> bool:
    return other is not None and Region.objects.within(region).filter(pk=other.pk).exists()


def _check_region(by: User, region: Region | None) -> None:
    if not within(by.administered_region, region):
        raise ConsoleError(_("只能管理本地区（%(region)s）的机关和人员。") % {"region": by.administered_region})


def _province(by: User) -> Region:
    region = by.administered_region
    if region is None or region.parent_id is not None:
        raise ConsoleError(_("只有省级管理员可以修改全省的设置。"))
    return region


@transaction.atomic
def load_own_regions(*, by: User) -> LoadedRegions:
    """The administrator's province's divisions from the official table (only that province's part)."""
    region = by.administered_region
    loaded = load_regions(province_code=region.province_code)
    record(
        kind=Kind.REGIONS_LOADED,
        actor=by,
        target=region.province_code,
        detail=_("新增 %(c)s 个，更新 %(r)s 个") % {"c": loaded.created, "r": loaded.renamed},
    )
    return loaded


@transaction.atomic
def save_agency(*, form, by: User) -> Agency:
    """Create an agency, or rename or move one (its reports go with it)."""
    agency = form.save(commit=False)
    _check_region(by, agency.region)
    created = agency.pk is None
    if not created:
        _check_region(by, Agency.objects.get(pk=agency.pk).region)
    agency.save()
    changes = "、".join(f"{form.fields[name].label}" for name in form.changed_data)
    record(
        kind=Kind.AGENCY_CHANGED,
        actor=by,
        target=agency.name,
        region=agency.region,
        detail=_("新建机关") if created else _("修改：%(fields)s") % {"fields": changes},
    )
    return agency


@transaction.atomic
def retire_agency(*, agency: Agency, merged_into: Agency, by: User, day: datetime.date | None = None) -> int:
    """Retire an agency merged into another in a reorganisation: its published reports stay public, its staff
    who have not moved yet are deactivated. The number of accounts deactivated."""
    _check_region(by, agency.region)
    _check_region(by, merged_into.region)
    if merged_into.pk == agency.pk or merged_into.retired_on:
        raise ConsoleError(_("请选择一个仍在使用的其他机关作为并入机关。"))
    agency.retired_on = day or timezone.localdate()
    agency.merged_into = merged_into
    agency.save(update_fields=["retired_on", "merged_into"])
    deactivated = User.objects.filter(agency=agency, is_active=True).update(is_active=False)
    record(
        kind=Kind.AGENCY_CHANGED,
        actor=by,
        target=agency.name,
        region=agency.region,
        detail=_("撤并，并入%(other)s；停用账号 %(n)s 个") % {"other": merged_into.name, "n": deactivated},
    )
    return deactivated


def _check_staff(user: User, by: User) -> None:
    if user.role == Role.ADMINISTRATOR and not user.agency_id:
        _check_region(by, user.region)
    else:
        _check_region(by, user.agency.region if user.agency_id else None)
    if user.role == Role.REVIEWER and (user.agency is None or not user.agency.is_justice_department):
        raise ConsoleError(_("审核人须属于司法行政部门（司法厅、司法局）。"))
    if user.is_superuser and not by.is_superuser:
        raise ConsoleError(_("超级用户只能由运维人员在管理后台维护。"))


@dataclass(frozen=True)
class NewAccount:
    user: User
    password: str


@transaction.atomic
def create_staff(*, form, by: User) -> NewAccount:
    """A new account with a one-time password, to be changed at first login."""
    user = form.save(commit=False)
    _check_staff(user, by)
    user.set_unusable_password()
    user.save()
    password = set_password_by_administrator(user=user, by=by)
    record(
        kind=Kind.ACCOUNT_CREATED,
        actor=by,
        target=user.username,
        region=user.agency.region if user.agency_id else user.region,
        detail=f"{user.get_role_display()} {user.agency or user.region}",
    )
    return NewAccount(user, password)


@transaction.atomic
def update_staff(*, form, by: User) -> User:
    before = User.objects.select_related("agency__region", "region").get(pk=form.instance.pk)
    _check_staff(before, by)
    user = form.save(commit=False)
    _check_staff(user, by)
    user.save()
    region = user.agency.region if user.agency_id else user.region
    if before.role != user.role or before.agency_id != user.agency_id or before.region_id != user.region_id:
        record(
            kind=Kind.ROLE_CHANGED,
            actor=by,
            target=user.username,
            region=region,
            detail=_("%(old)s → %(new)s")
            % {
                "old": f"{before.get_role_display()} {before.agency or before.region or ''}",
                "new": f"{user.get_role_display()} {user.agency or user.region or ''}",
            },
        )
    if before.is_active and not user.is_active:
        record(kind=Kind.ACCOUNT_DEACTIVATED, actor=by, target=user.username, region=region)
    other = [name for name in form.changed_data if name not in ("role", "agency", "region", "is_active")]
    if other:
        record(kind=Kind.ACCOUNT_CHANGED, actor=by, target=user.username, region=region, detail="、".join(other))
    return user


def reset_staff_password(*, user: User, by: User) -> str:
    _check_staff(user, by)
    return set_password_by_administrator(user=user, by=by)


@transaction.atomic
def save_policy(*, form, by: User) -> ProvincePolicy:
    province = _province(by)
    policy = form.save(commit=False)
    policy.province = province
    policy.save()
    record(
        kind=Kind.SETTINGS_CHANGED,
        actor=by,
        target=_("省级设置"),
        region=province,
        detail="、".join(f"{form.fields[n].label}：{form.cleaned_data[n]}" for n in form.changed_data),
    )
    return policy


@transaction.atomic
def save_cycle_settings(
    *,
    cycle: ReportingCycle,
    by: User,
    due_date: datetime.date,
    publication_deadline: datetime.date,
    requires_sign_off: bool,
    sections: list[dict] | None,
) -> ProvincialCycleSettings:
    """The province's own dates, sign-off rule and (when given) sections for a cycle, effective for its agencies
    only; every report of the cycle gets a row for each section it is now asked for."""
    province = _province(by)
    if publication_deadline < due_date:
        raise ConsoleError(_("公开截止日期不能早于报送截止日期。"))
    settings, _created = ProvincialCycleSettings.objects.update_or_create(
        cycle=cycle,
        province=province,
        defaults={
            "due_date": due_date,
            "publication_deadline": publication_deadline,
            "requires_sign_off": requires_sign_off,
        },
    )
    if sections is not None:
        if not sections:
            raise ConsoleError(_("至少保留一个报告部分。"))
        CycleSection.objects.filter(cycle=cycle, region=province).delete()
        CycleSection.objects.bulk_create(
            CycleSection(cycle=cycle, region=province, position=i, **section) for i, section in enumerate(sections, 1)
        )
        apply_cycle_sections(cycle=cycle)
    record(
        kind=Kind.SETTINGS_CHANGED,
        actor=by,
        target=_("%(year)s年度报告周期") % {"year": cycle.year},
        region=province,
        detail=_("报送截止 %(due)s，公开截止 %(deadline)s，%(sign)s%(sections)s")
        % {
            "due": due_date,
            "deadline": publication_deadline,
            "sign": _("须签发") if requires_sign_off else _("无须签发"),
            "sections": "" if sections is None else _("，报告部分 %(n)s 个") % {"n": len(sections)},
        },
    )
    return settings
