"""The password rules an assessor expects (等保 2.0 身份鉴别): at least eight characters of three kinds, not the
user name, none of the last five. Django's own validators give the length and the common-password check."""

from __future__ import annotations

import string

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator, MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.accounts.models import PasswordHistory


class LengthValidator(MinimumLengthValidator):
    """Django's length rule, said in Chinese (Django's own translation no longer matches its message)."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(n)s 个字符。") % {"n": self.min_length}

    def get_help_text(self) -> str:
        return _("至少 %(n)s 个字符。") % {"n": self.min_length}


class CommonPasswordsValidator(CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("这个密码太常见，容易被猜中，请换一个。")

    def get_help_text(self) -> str:
        return _("不能是常见密码。")


class CharacterKindsValidator:
    """At least `kinds` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, kinds: int = 3) -> None:
        self.kinds = kinds

    def validate(self, password: str, user=None) -> None:
        found = [
            any(c in string.ascii_uppercase for c in password),
            any(c in string.ascii_lowercase for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() and not c.isspace() for c in password),
        ]
        if sum(found) < self.kinds:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(kinds)s 种。") % {"kinds": self.kinds},
                code="password_too_plain",
            )

    def get_help_text(self) -> str:
        return _("包含大写字母、小写字母、数字、符号中的至少 %(kinds)s 种。") % {"kinds": self.kinds}


class NotUsernameValidator:
    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        if username and username in password.lower():
            raise ValidationError(_("密码不能包含用户名。"), code="password_has_username")

    def get_help_text(self) -> str:
        return _("不能包含用户名。")


class PasswordHistoryValidator:
    """Not one of the last `remember` passwords; each new one is remembered once it is saved."""

    def __init__(self, remember: int = 5) -> None:
        self.remember = remember

    def _recent(self, user) -> list[PasswordHistory]:
        return list(PasswordHistory.objects.filter(user=user)[: self.remember])

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        if any(check_password(password, old.password) for old in self._recent(user)):
            raise ValidationError(
                _("新密码不能与最近 %(n)s 次使用过的密码相同。") % {"n": self.remember}, code="password_reused"
            )

    def password_changed(self, password: str, user=None) -> None:
        """Called by Django once a new password is saved."""
        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = [old.pk for old in self._recent(user)]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()
        type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
        user.password_changed_at = timezone.now()

    def get_help_text(self) -> str:
        return _("不能与最近 %(n)s 次使用过的密码相同。") % {"n": self.remember}
