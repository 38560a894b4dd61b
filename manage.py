#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        _ = settings.INSTALLED_APPS  # reads the settings now
    except ImproperlyConfigured as error:
        # Else Django goes on without settings and fails later with an error that names something else
        # ("Models aren't loaded yet").
        sys.exit(
            f"设置不完整，门户无法启动：{error}\n"
            "生产环境须通过环境变量（或 SECRET_KEY_FILE 等文件）给出 SECRET_KEY 等设置，见 README 的 Operating 一节；"
            "在本机开发或演示时可设置 DEBUG=true。"
        )
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
