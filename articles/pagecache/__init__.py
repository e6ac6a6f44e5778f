"""Whole public pages kept in the cache and purged, exactly, by what they
show: `store` keeps them, `keys` names what pages show, `wsgi` answers
readers from the cache in front of Django, `cdn` passes purges on to a CDN."""
