"""Django's cache on Redis, where a Redis that cannot be reached is a cache miss, never an error page.

Everything cached is a copy (public pages, their generation number), so the site keeps working without it: a read
finds nothing, a write keeps nothing. After a failure Redis is left alone for a few seconds, so that while it is
down each request does not wait on a connection first.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How long Redis is left alone after it failed to answer.
PAUSE_SECONDS = 5.0
# Redis answers in well under a millisecond: a second means it is not there.
OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1, "health_check_interval": 30}


class _Away:
    """When Redis failed last; shared by every thread of the process."""

    until = 0.0

    @classmethod
    def now(cls) -> bool:
        return time.monotonic() < cls.until

    @classmethod
    def note(cls, error: Exception) -> None:
        if not cls.now():
            logger.warning("cache unavailable, serving without it for %ss: %r", PAUSE_SECONDS, error)
        cls.until = time.monotonic() + PAUSE_SECONDS


def _missing_on_failure(name: str, missing):
    method = getattr(RedisCacheClient, name)

    def guarded(self, *args, **kwargs):
        if _Away.now():
            return missing(*args)
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            _Away.note(error)
            return missing(*args)

    guarded.__name__ = name
    return guarded


def _not_found(key, *args):
    # What Django's back ends raise for incr() of a missing key; callers treat it as a miss.
    raise ValueError(f"Key {key!r} not found (cache unavailable).")


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[object, object] = {}

    def get_client(self, key=None, *, write=False):
        # Django makes a redis.Redis for every call, whose constructor (a table of some 170 reply callbacks) cost
        # as much as the call's round trip (0.38 ms): one client a pool serves every call, from any thread.
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client

    get = _missing_on_failure("get", lambda key, default: default)
    get_many = _missing_on_failure("get_many", lambda keys: {})
    has_key = _missing_on_failure("has_key", lambda key: False)
    add = _missing_on_failure("add", lambda key, value, timeout: False)
    set = _missing_on_failure("set", lambda key, value, timeout: None)
    set_many = _missing_on_failure("set_many", lambda data, timeout: None)
    touch = _missing_on_failure("touch", lambda key, timeout: False)
    delete = _missing_on_failure("delete", lambda key: False)
    delete_many = _missing_on_failure("delete_many", lambda keys: None)
    incr = _missing_on_failure("incr", _not_found)
    clear = _missing_on_failure("clear", lambda: False)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        params = {**params, "OPTIONS": {**OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
