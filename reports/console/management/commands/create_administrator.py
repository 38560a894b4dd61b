from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reports.accounts.services import one_time_password
from reports.agencies.models import Role, User
from reports.agencies.regions import ensure_region
from reports.audit.models import Kind
from reports.audit.services import record


class Command(BaseCommand):
    help = "为一个地区创建管理员账号（首个省级管理员由运维人员用本命令创建），打印一次性密码，首次登录须修改。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--region", required=True, help="管理地区的行政区划代码，如 140000")
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--email", default="")

    @transaction.atomic
    def handle(self, *args, username: str, region: str, name: str, email: str, **options) -> None:
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户名 {username} 已存在。")
        try:
            division = ensure_region(region)
        except ValueError as error:
            raise CommandError(f"{region} 不是行政区划代码表中的代码。") from error
        password = one_time_password()
        user = User(username=username, full_name=name, email=email, role=Role.ADMINISTRATOR, region=division)
        user.set_password(password)
        user.must_change_password = True
        user.save()
        record(kind=Kind.ACCOUNT_CREATED, target=username, region=division, detail=f"管理员 {division}（命令行创建）")
        self.stdout.write(f"已创建 {division.name} 管理员 {username}，一次性密码：{password}")
