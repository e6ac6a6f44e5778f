"""Every write to the picture library: saving a picture from the desk (with
its checked upload), deleting one with its files, cleaning old originals,
and making renditions (the worker's job)."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F
from django.utils.html import format_html

from .. import permissions
from ..models import Article
from ..pagecache import keys
from ..services.pages import pages_purge
from . import renditions
from .models import Image
from .uploads import Upload

# What a save from the desk writes: the words and the focal point, and a
# new file with what comes from it. Nothing else of the row is the saver's
# to set (its uploader, its fingerprint without a file, its version), and
# the renditions record belongs to the worker: a form opened before it last
# ran never writes an older one back.
WORDS_AND_FOCUS = ["title", "alt_text", "caption", "credit", "focal_x", "focal_y"]
FROM_FILE = ["file", "width", "height", "content_hash"]
NOT_YOURS = "Only the picture's uploader or an editor can change it."
STALE = (
    "Not saved: someone saved this picture after you opened it. Your changes are still in "
    "the form below; open the picture again in another tab to see theirs, then save again."
)


@transaction.atomic
def image_save(
    *, image: Image, user, upload: Upload | None = None, base_version: int | None = None
) -> Image:
    """Save a picture as `image` says, a new file arriving checked and
    cleaned by `uploads.read_upload`. Refused: a user who may not change the
    picture, a save made from an older version than the stored one
    (`base_version`, None for callers with no form), the same file as
    another picture, and emptying the words of a picture a published story
    shows."""
    stored = None
    if image.pk is not None:
        stored = Image.objects.select_for_update().get(pk=image.pk)
    if not permissions.can_change_image(user, stored or image):
        raise PermissionDenied(NOT_YOURS)
    if upload is not None:
        _fingerprint_lock(upload.content_hash)
    if problems := _problems(image, stored, upload, base_version):
        raise ValidationError(problems)
    if upload is not None:
        image.file, image.content_hash = upload.file, upload.content_hash
    if stored is None:
        if upload is None:
            raise ValidationError({"file": "Choose the picture's file."})
        image.uploaded_by, image.version, image.renditions = user, 1, {}
        image.save()
    else:
        image.version = F("version") + 1
        image.save(update_fields=[*WORDS_AND_FOCUS, "version", *(FROM_FILE if upload else [])])
    image.refresh_from_db()
    pages_purge(keys.picture_changed(image.pk))
    if not renditions.is_current(image):
        transaction.on_commit(lambda: renditions_enqueue(image_id=image.pk))
    if stored is not None and stored.file.name != image.file.name:
        # The old original goes once the new one is committed; its
        # renditions go when the worker has made the new ones.
        _delete_on_commit([stored.file.name])
    return image


def image_save_problems(
    *, image: Image, user, upload: Upload | None = None, base_version: int | None = None
) -> dict[str, list]:
    """Why `image_save` would refuse, by form field; empty when it may go
    ahead. Takes no lock, so a form can explain before saving."""
    stored = Image.objects.filter(pk=image.pk).first() if image.pk is not None else None
    if not permissions.can_change_image(user, stored or image):
        return {NON_FIELD_ERRORS: [NOT_YOURS]}
    return _problems(image, stored, upload, base_version)


def _problems(
    image: Image, stored: Image | None, upload: Upload | None, base_version: int | None
) -> dict[str, list]:
    if stored is not None and base_version is not None and stored.version != base_version:
        return {NON_FIELD_ERRORS: [STALE]}
    problems: dict[str, list] = {}
    if upload is not None and (twin := _twin(upload.content_hash, image.pk)):
        problems["file"] = [
            ValidationError(
                "This picture is already in the library as “%(title)s”; use that one.",
                code="duplicate",
                params={"title": twin.title, "pk": twin.pk},
            )
        ]
    if stored is not None and image.missing_words() and not stored.missing_words():
        shown = Article.objects.showing(stored).filter(status=Article.Status.PUBLISHED).first()
        if shown is not None:
            problems[NON_FIELD_ERRORS] = [
                f"This picture is shown in “{shown.headline}”, which is published or "
                "scheduled: it keeps its alt text and credit."
            ]
    return problems


def duplicate_link(error: ValidationError, change_url: str) -> str:
    """The duplicate refusal with a link to the picture already stored."""
    assert error.params is not None  # `image_save_problems` names the picture.
    return format_html(
        "This picture is already in the library as <a href='{}'>“{}”</a>; use that one.",
        change_url,
        error.params["title"],
    )


def _twin(content_hash: str, pk: int | None) -> Image | None:
    twins = Image.objects.filter(content_hash=content_hash)
    return (twins if pk is None else twins.exclude(pk=pk)).first()


def _fingerprint_lock(content_hash: str) -> None:
    """Until this transaction ends, make any other upload of the same file
    wait, so that it finds this one in the library instead of colliding
    with it. SQLite's write transactions already run one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(content_hash[:15], 16)])


@transaction.atomic
def image_delete(*, image: Image, user) -> None:
    """Delete a picture no story shows; once that is committed its original
    and every rendition leave storage too: media addresses are public, and
    a deleted picture must stop being served."""
    if not permissions.may(user, "delete", Image):
        raise PermissionDenied("Only editors can delete pictures.")
    names = [image.file.name, *renditions.files_of(image.renditions or {})]
    pages_purge(keys.picture_changed(image.pk))
    image.delete()
    _delete_on_commit(names)


def _delete_on_commit(names: list[str | None]) -> None:
    """Delete the stored files `names` once the transaction commits; a row
    without a file names none."""

    def delete() -> None:
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def image_original_cleaned(*, image_id: int, was: str, file) -> bool:
    """Store `file`, a cleaned copy of the picture's original `was`, in its
    place. The fingerprint stays that of the file as uploaded, and the
    renditions stay: they never carried metadata and were made upright.
    Nothing happens if the desk replaced the file meanwhile."""
    image = Image.objects.select_for_update().filter(pk=image_id, file=was).first()
    if image is None:
        return False
    image.file = file
    image.save(update_fields=["file", "width", "height"])
    pages_purge(keys.picture_changed(image.pk))
    transaction.on_commit(lambda: default_storage.delete(was))
    return True


def renditions_enqueue(*, image_id: int) -> None:
    from ..tasks import make_renditions

    make_renditions.enqueue(image_id)


def image_render(*, image_id: int, force: bool = False) -> bool:
    """Make the picture's renditions for its current file and focal point;
    safe to run again or twice at once. Returns whether it made any."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return False
    if renditions.is_current(image) and not force:
        return False
    record = renditions.render(image, force=force)
    with transaction.atomic():
        # Kept only if the picture is still the one rendered: a focal point
        # moved meanwhile has queued its own run.
        current = (
            Image.objects.select_for_update()
            .filter(
                pk=image.pk,
                content_hash=image.content_hash,
                focal_x=image.focal_x,
                focal_y=image.focal_y,
            )
            .values_list("renditions", flat=True)
            .first()
        )
        if current is None:
            if not Image.objects.filter(pk=image.pk).exists():
                # Deleted while this run worked: what it wrote goes too.
                transaction.on_commit(lambda: renditions.remove_replaced(record, {}))
            return True
        Image.objects.filter(pk=image.pk).update(renditions=record)
        pages_purge(keys.picture_changed(image.pk))
    renditions.remove_replaced(current, record)
    return True
