"""Django's Redis cache backend, with one client per connection pool instead of one per call.

Django's RedisCacheClient builds a new `redis.Redis` for every cache operation; the
constructor fills a table of some 170 response callbacks, which costs about 0.3 ms,
more than the round trip itself on a local Redis (measured: a 70 KB page read took
0.49 ms through Django, 0.21 ms through one kept client). The connections come from
the same pool either way, and a `redis.Redis` is safe to share between threads.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write: bool = False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients.setdefault(
                index, self._client(connection_pool=self._pools[index])
            )
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
