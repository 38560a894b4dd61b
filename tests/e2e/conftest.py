"""Playwright driving Debian's Chromium (no downloaded browsers)."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# themselves are still synchronous, so Django may let them through.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


# Package-scoped: Playwright's sync API keeps an event loop running in the main thread while it is started, and
# the test client cannot call an asynchronous view (django-health-check's /readyz) from such a thread.
@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/work/")


def log_out(page):
    page.get_by_role("button", name="退出").click()


def confirm(page, verb):
    """On the page that asks before handing in or publishing: tick the box, then confirm."""
    page.locator("#confirm input[name=confirm]").check()
    page.get_by_role("button", name=f"确认{verb}").click()


def publish_from_review_page(page):
    page.locator("#publish input[name=confirm]").check()
    page.get_by_role("button", name="公开发布").click()


def opened_pdf(page, link) -> bytes:
    """The PDF a reader's browser opens from this link (inline, in its own viewer, not as a download): the same
    request with the page's cookies, read as bytes."""
    from urllib.parse import urljoin

    response = page.context.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.ok, response.status
    assert response.headers["content-disposition"].startswith("inline")
    return response.body()
