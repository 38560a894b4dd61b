"""The read-only JSON API of the published reports (/api/v1/), with the same filters as the pages.

Public and anonymous: no authentication is read, so no session or CSRF token is involved, and only JSON is
rendered (no browsable API). The OpenAPI schema is at /api/v1/schema/.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import InvalidPage
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from reports.filing.models import Report
from reports.publication import listing
from reports.publication.filters import CountedPaginator, Listed, ReportFilter
from reports.publication.models import PublishedEntry
from reports.publication.search import SearchPaginator, SearchTooBroad, search_terms
from reports.publication.serializers import ReportDetailSerializer, ReportSummarySerializer


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)
    page_size = forms.IntegerField(min_value=1, max_value=100, required=False)


class PublicPagination(PageNumberPagination):
    """Pages of 20 (page_size up to 100). A bad page or page size is a 400 that says what is wrong."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        form = PageForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        terms, per_page = (
            search_terms(request.query_params.get("q", "")),
            form.cleaned_data["page_size"] or self.page_size,
        )
        try:
            if terms:
                paginator = SearchPaginator(queryset, per_page, terms)
            else:
                listed = getattr(request, "listing", None)
                paginator = CountedPaginator(queryset if listed is None else Listed(listed), per_page)
            self.page = paginator.page(form.cleaned_data["page"] or 1)
        except SearchTooBroad:
            raise ValidationError(
                {"q": [_("这个搜索需要读取的报告太多，请换用更具体的词语或增加筛选条件。")]}
            ) from None
        except InvalidPage:
            message = _("没有这一页：共 %(pages)s 页。") % {"pages": paginator.num_pages}
            raise ValidationError({"page": [message]}) from None
        self.request = request
        return list(self.page)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "more_than_count": getattr(self.page.paginator, "more_than_counted", False),
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["more_than_count"] = {
            "type": "boolean",
            "description": "列表和搜索结果只计数到 count（1000）；为 true 时实际结果更多，请缩小筛选或搜索范围。",
        }
        return response


class PublicAPIView(generics.GenericAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]


class ListingFilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping the list's `EntryListing` key on the request for the paginator
    (`filters.Listed`)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if not filterset.is_valid() and self.raise_exception:
            raise translate_validation(filterset.errors)
        request.listing = filterset.listing
        return filterset.qs


class ReportList(PublicAPIView, generics.ListAPIView):
    """已公开的报告，按公开时间从新到旧；筛选条件与网页相同。"""

    queryset = PublishedEntry.objects.public().order_by("-published_at", "-report_id").only(*listing.READ_FIELDS)
    serializer_class = ReportSummarySerializer
    filter_backends = [ListingFilterBackend]
    filterset_class = ReportFilter
    pagination_class = PublicPagination

    def list(self, request, *args, **kwargs):
        # The summaries rendered with the entries (`listing`), as the serializer would give them.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(listing.summaries(page, request))


class ReportDetail(PublicAPIView, generics.RetrieveAPIView):
    """一份已公开的报告：元数据、版本记录、指标和全文。已撤回的报告返回 410 和撤回理由。"""

    serializer_class = ReportDetailSerializer

    def get_object(self) -> PublishedEntry:
        entries = (
            PublishedEntry.objects.public()
            .select_related("agency__region", "cycle", "revision", "report")
            .prefetch_related("cycle__provincial_settings__province")
        )
        return get_object_or_404(entries, year=self.kwargs["year"], agency__code=self.kwargs["code"])

    @extend_schema(responses={200: ReportDetailSerializer, 404: None, 410: None})
    def get(self, request, *args, **kwargs):
        withdrawn = (
            Report.objects.withdrawn()
            .filter(cycle__year=kwargs["year"], agency__code=kwargs["code"])
            .order_by("pk")
            .first()
        )
        if withdrawn is not None:
            body = {
                "detail": _("该报告已撤回，不再公开。"),
                "withdrawn_at": withdrawn.withdrawn_at,
                "withdrawal_reason": withdrawn.withdrawal_reason,
            }
            return Response(body, status=status.HTTP_410_GONE)
        return super().get(request, *args, **kwargs)
