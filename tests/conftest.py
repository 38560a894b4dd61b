import uuid

import pytest

from reports.agencies.models import Role
from reports.filing import services
from tests.factories import make_places, make_user


def pytest_configure(config):
    """Each run caches under keys of its own: the Redis server outlives a run, and a new test database numbers
    its rows from 1 again, so a page cached by an earlier run under the same revision id must not answer."""
    from django.conf import settings

    settings.CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Hashing each test user's password the production way costs seconds a test and proves nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_public_page_cached_by_an_earlier_test(request):
    """Public pages are cached (in Redis under CI); a page cached by one test must not answer another."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        yield
        return
    from tests.publishing import forget_cached_pages

    forget_cached_pages()
    yield
    forget_cached_pages()


@pytest.fixture
def places(db):
    return make_places()


@pytest.fixture
def cycle(db):
    return services.open_cycle(year=2024)


@pytest.fixture
def sx_filer(places):
    return make_user("sx-yjglt-filer", places.sx_emergency)


@pytest.fixture
def cz_filer(places):
    return make_user("cz-yjglj-filer", places.cz_emergency)


@pytest.fixture
def sx_reviewer(places):
    return make_user("sx-sft-reviewer", places.sx_justice, Role.REVIEWER)


@pytest.fixture
def sx_second_reviewer(places):
    return make_user("sx-sft-reviewer-2", places.sx_justice, Role.REVIEWER)


@pytest.fixture
def cz_reviewer(places):
    return make_user("cz-sfj-reviewer", places.cz_justice, Role.REVIEWER)


@pytest.fixture
def sx_draft(places, cycle):
    return services.start_report(agency=places.sx_emergency, cycle=cycle)


@pytest.fixture
def cz_draft(places, cycle):
    return services.start_report(agency=places.cz_emergency, cycle=cycle)


@pytest.fixture
def celery_worker(transactional_db, settings):
    """A real Celery worker in a thread, consuming from the Redis broker (eager mode when there is none)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        yield None
        return
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    app.control.purge()
    with start_worker(app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30) as worker:
        yield worker
