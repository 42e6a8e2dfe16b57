"""A Redis cache that turns an unreachable or slow Redis into no cache, never an error.

Django's RedisCache raises when Redis is down, and Wagtail reads the cache on every
page (site root paths, renditions), so a Redis outage would take the whole site down.
`ResilientRedisCache` answers as an empty cache instead: reads return the default,
writes do nothing, and the site serves every request uncached until Redis is back.

- Short timeouts: Redis sits next to the application, so an answer slower than
  `socket_timeout` is treated as an outage (both are overridable in `OPTIONS`).
- After a failure Redis is left alone for `RETRY_AFTER_SECONDS`, so requests during an
  outage do not each wait for a timeout; the first call after that tries again.
- One warning when an outage starts, then at most one every `WARN_EVERY_SECONDS`, and
  a note when Redis answers again, when `redis_recovered` is also sent: what was written
  during the outage (a new content generation, say) never reached Redis.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.dispatch import Signal
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds; Redis runs on the same host or network, so longer waits only add latency.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
RETRY_AFTER_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0
# Socket failures surface as OSError subclasses when redis-py does not wrap them.
CACHE_ERRORS = (RedisError, OSError)

# Sent with `location` when a Redis server this process saw fail answers again.
redis_recovered = Signal()


class _Outages:
    """When each Redis server (by location) failed, shared by every cache in the process.

    Django makes one cache object per thread; they share the outage so that one
    failed call spares the other threads the timeout too.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._down_until = {}
        self._last_warning = {}

    def is_down(self, location):
        until = self._down_until.get(location)
        return until is not None and time.monotonic() < until

    def failed(self, location, error):
        now = time.monotonic()
        with self._lock:
            self._down_until[location] = now + RETRY_AFTER_SECONDS
            last = self._last_warning.get(location)
            warn = last is None or now - last >= WARN_EVERY_SECONDS
            if warn:
                self._last_warning[location] = now
        if warn:
            logger.warning(
                "Redis cache at %s is unavailable (%s); serving without it and retrying "
                "every %s seconds.",
                location,
                error,
                RETRY_AFTER_SECONDS,
            )

    def succeeded(self, location):
        """Whether this success ends an outage."""
        if location not in self._down_until:
            return False
        with self._lock:
            recovered = self._down_until.pop(location, None) is not None
            self._last_warning.pop(location, None)
        if recovered:
            logger.warning("Redis cache at %s is available again.", location)
        return recovered

    def reset(self):
        with self._lock:
            self._down_until.clear()
            self._last_warning.clear()


outages = _Outages()


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool.

    Django builds a new `redis.Redis` for every operation, which registers its response
    callbacks each time (about 90 µs, as long as a GET itself). A redis-py client holds
    no connection of its own (the pool does) and is safe to share between threads.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose operations never raise because of Redis itself.

    Each operation answers as an empty cache would when Redis fails: `get` returns
    the default, `add`, `touch`, `delete` and `has_key` return False, `set_many`
    reports every key as not stored, `incr` returns `delta` (as if the key started
    at 0). Invalid keys and other programming errors still raise.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._options = {**DEFAULT_OPTIONS, **self._options}
        self._location = ",".join(self._servers)

    def _guard(self, fallback, operation, *args):
        if outages.is_down(self._location):
            return fallback
        try:
            result = operation(*args)
        except CACHE_ERRORS as error:
            outages.failed(self._location, error)
            return fallback
        if outages.succeeded(self._location):
            redis_recovered.send(sender=type(self), location=self._location)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guard({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guard(delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guard(None, super().delete_many, keys, version)

    def clear(self):
        return self._guard(False, super().clear)
