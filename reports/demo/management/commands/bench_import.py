"""Benchmark: reading a long Word file as the worker does (not part of the tests).

The file is of the kind that took the web workers down: within every size limit, hundreds of thousands of short
paragraphs each cut mid-sentence, which the repairs join. Beside the portal's reading it prints a yardstick measured
in the same run, python-docx opening the same file (the XML parse the reading cannot avoid), and the ratio.
"""

import io
import json
import random
import resource
import time
import zipfile

import docx
from django.core.management.base import BaseCommand

from reports.transfer.importer import Target, read_report

WORDS = "法治政府建设推进依法行政执法监督审查复议诉讼制度改革完善强化落实规范健全机制体系能力水平"
TARGET = Target(
    "山西省应急管理厅",
    "sx-yjglt",
    2023,
    "关于2023年度法治政府建设情况的报告",
    (("measures", "主要举措"), ("shortcomings", "不足"), ("duties", "职责"), ("rulings", "裁判"), ("plans", "安排")),
)


def long_word_file(paragraphs: int) -> bytes:
    pick = random.Random(1).choice
    body = "".join(
        f"<w:p><w:r><w:t>{''.join(pick(WORDS) for _ in range(4))}，</w:t></w:r></w:p>" for _ in range(paragraphs)
    )
    document = docx.Document()
    for line in ("关于2023年度法治政府建设情况的报告", "一、主要举措"):
        document.add_paragraph(line)
    base = io.BytesIO()
    document.save(base)
    output = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                text = data.decode()
                end = text.index("<w:sectPr")
                data = (text[:end] + body + text[end:]).encode()
            target.writestr(member.filename, data)
    return output.getvalue()


class Command(BaseCommand):
    help = "测量读取一个很长的 Word 文件所需的时间；最后一行输出 JSON（seconds, yardstick_seconds, ratio）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--paragraphs", type=int, default=838_000)

    def handle(self, *args, paragraphs: int, **options) -> None:
        data = long_word_file(paragraphs)
        self.stdout.write(f"{paragraphs} 段，文件 {len(data) / 2**20:.1f} MB")
        started = time.perf_counter()
        docx.Document(io.BytesIO(data))
        yardstick = time.perf_counter() - started
        started = time.perf_counter()
        result = read_report(data, file_name="很长的报告.docx", target=TARGET)
        seconds = time.perf_counter() - started
        joined = sum(group["count"] for group in result.summary["healed"] if group["kind"] == "page_break")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"python-docx 打开：{yardstick:.1f} s；平台读取：{seconds:.1f} s；接上断行 {joined} 处")
        figures = {
            "paragraphs": paragraphs,
            "megabytes": round(len(data) / 2**20, 1),
            "seconds": round(seconds, 2),
            "yardstick_seconds": round(yardstick, 2),
            "ratio": round(seconds / yardstick, 2),
            "peak_rss_mb": round(peak),
        }
        self.stdout.write(json.dumps(figures))
