from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView

from reports.publication import agency_pages, api, views
from reports.publication.cache import public_page
from reports.publication.feeds import NewPublications
from reports.publication.open_data import indicators_csv
from reports.publication.sitemaps import SITEMAPS

app_name = "publication"

API_DESCRIPTION = (
    "法治政府建设年度报告平台的只读开放数据接口：已公开的年度报告及其版本、指标和全文。"
    "筛选参数与网页相同（q、year、region、level、kind、agency），分页参数为 page 和 page_size（不超过 100）。"
)

urlpatterns = [
    path("", views.home, name="home"),
    path("published/", views.browse, name="browse"),
    path("published/<int:year>/<slug:code>/", views.report_page, name="report"),
    path("published/<int:year>/<slug:code>/v<int:number>/", views.version_page, name="version"),
    path("published/<int:year>/<slug:code>.pdf", views.report_pdf, name="pdf"),
    path("published/<int:year>/<slug:code>/v<int:number>.pdf", views.report_pdf, name="version_pdf"),
    path("agencies/<slug:code>/", views.agency_page, name="agency"),
    path("agencies/<slug:code>/compare/", views.compare_page, name="compare"),
    path("compliance/", views.compliance_page, name="compliance"),
    path(
        "open-data/",
        public_page(TemplateView.as_view(template_name="publication/open_data.html"), reads=()),
        name="open_data",
    ),
    path("open-data/indicators.csv", indicators_csv, name="indicators_csv"),
    path("feed/", public_page(NewPublications(), reads=()), name="feed"),
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "publication:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("api/v1/reports/", public_page(api.ReportList.as_view()), name="api_reports"),
    path(
        "api/v1/reports/<int:year>/<slug:code>/",
        public_page(agency_pages.kept_page(agency_pages.the_agency)(api.ReportDetail.as_view()), reads=()),
        name="api_report",
    ),
    path(
        "api/v1/schema/",
        SpectacularAPIView.as_view(
            custom_settings={
                "TITLE": "法治政府建设年度报告开放数据接口",
                "VERSION": "1.0.0",
                "DESCRIPTION": API_DESCRIPTION,
            }
        ),
        name="api_schema",
    ),
]
