"""Django's Redis cache, keeping one client per connection pool: Django's
own makes a new client object for every call, which costs more than the
round trip to Redis itself."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict = {}

    def get_client(self, key=None, *, write=False):
        # Django's stubs leave out the client's private parts used here.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            # Redis clients are safe to share between threads; each call
            # takes a connection from the pool.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class Redis(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClient
