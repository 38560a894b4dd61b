import time

from django.core.management.base import BaseCommand

from reports.operations.upgrade import check_upgrade

WHY = {"renderer": "生成程序已更新", "fonts": "字体已变化（如新装了正版字体）", "unknown": "生成时未记录生成程序"}


class Command(BaseCommand):
    help = (
        "升级后检查还需要做什么：未执行的数据库迁移、需重建的公开检索数据和报告页面、"
        "需重新生成的 PDF。有待办时退出码为 1。"
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        needs = check_upgrade()
        write = self.stdout.write
        if needs.pending_migrations:
            write(f"数据库迁移：{len(needs.pending_migrations)} 个未执行（{'、'.join(needs.pending_migrations)}）")
            write("  → python manage.py migrate（web 服务启动时也会执行），然后再运行本检查。")
        else:
            write("数据库迁移：已全部执行。")
            if needs.entries_behind or needs.entries_differing:
                if needs.entries_behind:
                    write(f"公开检索数据：{needs.entries_behind} 条与已公开的报告不一致")
                if needs.entries_differing:
                    write(f"公开检索数据：{needs.entries_differing} 条由旧版本生成，内容与当前版本不同")
                option = " --all" if needs.entries_differing else ""
                write(f"  → python manage.py rebuild_public_index{option}")
            else:
                write("公开检索数据：与已公开的报告一致。")
            if needs.board_behind:
                write(f"报告公开情况：{needs.board_behind} 条与已公开的报告和机关不一致")
                write("  → python manage.py rebuild_public_index")
            else:
                write("报告公开情况：与已公开的报告和机关一致。")
            if needs.pages_missing or needs.pages_outdated:
                if needs.pages_missing:
                    write(f"报告页面：{needs.pages_missing} 份已公开的报告缺少预先生成的页面")
                if needs.pages_outdated:
                    write(f"报告页面：{needs.pages_outdated} 个由旧版本的模板生成")
                write("  → python manage.py rebuild_public_index --pages-only（可用 --shard 0/2、1/2 分两个进程）")
            else:
                write("报告页面：均已按当前模板生成。")
            for why, count in sorted(needs.outdated_pdfs.items()):
                write(f"PDF：{count} 份需要重新生成（{WHY[why]}）")
            if needs.failed_pdfs:
                write(f"PDF：{needs.failed_pdfs} 份生成失败")
            if needs.outdated_pdfs or needs.failed_pdfs:
                write("  → python manage.py rerender_pdfs（由 Celery worker 在后台完成，期间公众仍可下载旧文件）")
            else:
                write("PDF：均由当前的生成程序和字体生成。")
        write(f"检查用时 {time.monotonic() - started:.1f} 秒。{'有待办事项。' if needs.anything else '无需其他操作。'}")
        if needs.anything:
            raise SystemExit(1)
