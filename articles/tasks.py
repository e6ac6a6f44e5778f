"""Background work. Tasks only apply side effects; what readers may see is
decided at query time, so a late task never leaks or hides a story."""

from django.tasks import task

from .pictures import services as pictures
from .services import updates


@task()
def apply_due_updates() -> int:
    """Apply every scheduled update that has come due."""
    return updates.updates_apply_due()


@task()
def make_renditions(image_id: int) -> bool:
    """Cut a picture's renditions after it was saved or re-focused."""
    return pictures.image_render(image_id=image_id)


@task()
def purge_cdn(keys: list[str]) -> int:
    """Tell the CDN in front of the site to drop the pages showing `keys`."""
    from .pagecache.cdn import cdn_purge

    return cdn_purge(keys)
