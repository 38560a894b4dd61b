from django.conf import settings
from django.core.management.base import BaseCommand

from reports.demo.services import load_demo


class Command(BaseCommand):
    help = "创建演示数据：山西省、长治市的机关和两份样例报告（可重复运行）。"

    def handle(self, *args, **options) -> None:
        logins = load_demo(with_users=settings.DEBUG)
        self.stdout.write(
            self.style.SUCCESS("演示数据已就绪：山西省应急管理厅 2023 年度、长治市应急管理局 2022 年度报告已公开。")
        )
        if not logins:
            self.stdout.write("DEBUG 未开启：不创建演示账号。")
            return
        self.stdout.write(f"演示账号（密码均为 {settings.PORTAL_DEMO_PASSWORD}）：")
        for login in logins:
            self.stdout.write(f"  {login.username:<22} {login.agency} {login.role}")
