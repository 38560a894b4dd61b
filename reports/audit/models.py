"""The security log (等保 2.0 安全审计): who did what, when, from which address. Rows are only ever added.

Kept at least six months (网络安全法 Article 21); past the configured retention a scheduled job prunes them. On
PostgreSQL a trigger refuses any UPDATE and any DELETE of a row younger than 180 days, whatever code asks.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MINIMUM_RETENTION_DAYS = 180


class Kind(models.TextChoices):
    LOGIN = "login", _("登录成功")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账号锁定")
    UNLOCKED = "unlocked", _("解除锁定")
    LOGOUT = "logout", _("退出登录")
    SESSION_EXPIRED = "session_expired", _("会话超时")
    SSO_REFUSED = "sso_refused", _("统一身份认证未匹配账号")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("申请重置密码")
    PASSWORD_RESET = "password_reset", _("通过邮件重置密码")
    PASSWORD_SET = "password_set", _("管理员重置密码")
    ACCOUNT_CREATED = "account_created", _("创建账号")
    ACCOUNT_CHANGED = "account_changed", _("修改账号")
    ROLE_CHANGED = "role_changed", _("变更角色或机关")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("停用账号")
    AGENCY_CHANGED = "agency_changed", _("机关变更")
    SETTINGS_CHANGED = "settings_changed", _("修改省级设置")
    IMPORTED = "imported", _("批量导入")
    REGIONS_LOADED = "regions_loaded", _("导入行政区划")
    EXPORTED = "exported", _("导出数据")
    WORKFLOW = "workflow", _("报告流转")


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("the security log is append-only")


class SecurityEvent(models.Model):
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("事件"), max_length=32, choices=Kind.choices, db_index=True)
    # No database constraint and nothing done on delete: removing a person or a region must not rewrite the log
    # (the trigger refuses any UPDATE); the event keeps the id, and the name as it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as typed or as the person was named then: a failed login names nobody, and people leave.
    username = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    # The region the event concerns, so that an administrator reads the log of their own region.
    region = models.ForeignKey(
        "agencies.Region", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    target = models.CharField(_("对象"), max_length=300, blank=True)
    detail = models.TextField(_("内容"), blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("安全日志")
        verbose_name_plural = _("安全日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise TypeError("the security log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("the security log is append-only; it is pruned only by audit.services.prune_security_log")
