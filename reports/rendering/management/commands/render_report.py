from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.filing.models import Report
from reports.rendering import renditions, services
from reports.rendering.pdf import Conformance


class Command(BaseCommand):
    help = "Render a report's PDF now, through the same code as the worker, and write it to a file."

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int)
        parser.add_argument("--out", required=True, type=Path, help="the PDF file to write")
        parser.add_argument("--draft", action="store_true", help="the current content, marked 草稿")
        parser.add_argument(
            "--archival", action="store_true", help="PDF/A-1a (GB/T 23286.1) for the archive instead of PDF/UA-1"
        )

    def handle(self, *args, report_id: int, out: Path, draft: bool, archival: bool, **options):
        report = Report.objects.filter(pk=report_id).select_related("published_revision").first()
        if report is None:
            raise CommandError(f"no report {report_id}")
        if draft:
            pdf = services.render_draft_pdf(report=report)
        else:
            revision = report.published_revision or report.revisions.order_by("number").last()
            if revision is None:
                raise CommandError(f"report {report_id} has never been submitted: use --draft")
            conformance = Conformance.ARCHIVAL if archival else Conformance.ACCESSIBLE
            pdf = renditions.render_revision_pdf(revision=revision, conformance=conformance)
        out.write_bytes(pdf)
        self.stdout.write(f"{out}: {len(pdf)} bytes")
