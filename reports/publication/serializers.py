"""The JSON of the API's reports (`api`): a summary in the lists, the whole report on its own address."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.agencies.models import Agency, Region
from reports.filing.document import public_snapshot
from reports.publication import reading
from reports.publication.models import PublishedEntry


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]


class AgencySerializer(serializers.ModelSerializer):
    region = RegionSerializer()

    class Meta:
        model = Agency
        fields = ["code", "name", "kind", "region"]


class ReportSummarySerializer(serializers.ModelSerializer):
    agency = AgencySerializer()
    on_time = serializers.BooleanField(help_text="首次公开是否在公开截止日期当天或之前。")
    publication_deadline = serializers.DateField(source="terms.publication_deadline")
    url = serializers.SerializerMethodField(help_text="报告的永久网址。")
    api_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = PublishedEntry
        fields = [
            "year",
            "agency",
            "title",
            "first_published_at",
            "published_at",
            "publication_deadline",
            "on_time",
            "version",
            "url",
            "api_url",
            "pdf_url",
        ]

    def _absolute(self, name: str, entry: PublishedEntry) -> str:
        """The address on the site the request came to; without a request (a stored row, `listing`) the path."""
        path = reverse(name, args=[entry.year, entry.agency.code])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(serializers.URLField())
    def get_url(self, entry: PublishedEntry) -> str:
        return self._absolute("publication:report", entry)

    @extend_schema_field(serializers.URLField())
    def get_api_url(self, entry: PublishedEntry) -> str:
        return self._absolute("publication:api_report", entry)

    @extend_schema_field(serializers.URLField())
    def get_pdf_url(self, entry: PublishedEntry) -> str:
        return self._absolute("publication:pdf", entry)


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    change_note = serializers.CharField()
    is_current = serializers.BooleanField()


class ReportDetailSerializer(ReportSummarySerializer):
    versions = serializers.SerializerMethodField()
    figures = serializers.JSONField(help_text="rulings：法院生效裁判等案件数；indicators：主要举措中的量化指标。")
    document = serializers.SerializerMethodField(
        help_text="报告现行公开版本的全文（结构化），与印发的报告一致；各部分只另附公开的统计数字（案件数、量化指标）"
        "和上年度安排的落实情况，审核时核对的其他情况不公开。"
    )

    class Meta(ReportSummarySerializer.Meta):
        fields = [*ReportSummarySerializer.Meta.fields, "versions", "figures", "document"]

    @extend_schema_field(serializers.JSONField())
    def get_document(self, entry: PublishedEntry) -> dict:
        return public_snapshot(entry.revision.content)

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, entry: PublishedEntry) -> list:
        return VersionSerializer(reading.versions(entry.report), many=True).data
