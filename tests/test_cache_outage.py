"""A cache that cannot be reached is a cache miss: the public pages are served from the database."""

import socket

import pytest
from django.core.cache import cache
from django.test import override_settings

from reports.publication.cache import bump_generation, generation
from tests.publishing import published_report


@pytest.fixture
def redis_away():
    """The cache pointed at a port where nothing listens, as when Redis is down. The real cache is back before the
    pause is forgotten: the other fixtures' clean-up (forget_cached_pages) must not find it away, nor leave the next
    test without a cache for the pause's seconds."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    away = {"default": {"BACKEND": "portal.cache.ResilientRedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    with override_settings(CACHES=away):
        yield
    from portal.cache import _Away

    _Away.until = 0.0


def test_every_cache_operation_is_a_miss_when_redis_is_away(redis_away):
    assert cache.get("anything") is None
    assert cache.get("anything", "default") == "default"
    assert cache.set("key", "value") is None and cache.add("key", "value") is False
    assert cache.get_many(["a", "b"]) == {} and not cache.has_key("key")
    with pytest.raises(ValueError):
        cache.incr("key")
    first = generation()
    bump_generation()
    assert isinstance(first, int)


def test_the_public_pages_are_served_without_the_cache(client, redis_away, places, cycle, sx_filer, sx_reviewer):
    published_report(places.sx_emergency, cycle, sx_filer, sx_reviewer, text="缓存不可用时照常公开的文字。")
    for url in ["/", "/published/", "/published/2024/sx-yjglt/", "/api/v1/reports/", "/feed/", "/compliance/"]:
        assert client.get(url).status_code == 200, url
    assert "缓存不可用时照常公开的文字。" in client.get("/published/2024/sx-yjglt/").content.decode()
