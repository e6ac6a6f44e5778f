import hashlib
import hmac

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ..loading import LoadedFromRows
from . import renditions as renditions_record
from .uploads import validate_image_file

# What a picture needs before readers see it, in the desk's words: words
# for those who cannot see it, and whose it is.
WORDS_TO_PUBLISH = (("alt text", "alt_text"), ("a credit", "credit"))


def stored_key(image: "Image") -> str:
    """The name an original is stored under: its fingerprint, keyed with the
    site's secret. No address of a picture can be guessed from its name or
    upload date, nor worked out by someone holding the same file (media
    addresses are public, and a picture may belong to an embargoed story)."""
    return hmac.new(
        settings.SECRET_KEY.encode(), image.content_hash.encode(), hashlib.sha256
    ).hexdigest()


def original_name(image: "Image", filename: str) -> str:
    extension = filename.rpartition(".")[2].lower() or "jpg"
    key = stored_key(image)
    return f"images/{key[:2]}/{key}.{extension}"


def needs_words_q() -> Q:
    """Pictures a story cannot be published with yet (`Image.save` stores
    the words stripped, so empty is missing)."""
    missing = Q(pk__in=[])
    for _, field in WORDS_TO_PUBLISH:
        missing |= Q(**{field: ""})
    return missing


def is_stored_under_its_key(image: "Image") -> bool:
    """Whether the original is stored under `stored_key` (storage may add a
    suffix when an earlier copy still held the name)."""
    key = stored_key(image)
    folder, _, name = (image.file.name or "").rpartition("/")
    return folder == f"images/{key[:2]}" and name.startswith(key)


class ImageQuerySet(models.QuerySet["Image"]):
    def needing_words(self) -> "ImageQuerySet":
        return self.filter(needs_words_q())

    def having_words(self) -> "ImageQuerySet":
        return self.exclude(needs_words_q())


class Image(LoadedFromRows):
    title = models.CharField(max_length=200, help_text="For the desk: how to find it again.")
    file = models.ImageField(
        upload_to=original_name,
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    # Alt text and credit may wait while a picture sits in the library; a
    # story cannot be published with its picture lacking either.
    alt_text = models.CharField(
        max_length=250,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it. Needed to publish.",
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown as “Image Source”: agency or photographer. Needed to publish.",
    )
    # SHA-256 of the file as uploaded: the same file twice is one picture.
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Where the picture's subject is, as fractions of its width and height;
    # every crop keeps it in frame.
    focal_x = models.FloatField(
        default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    focal_y = models.FloatField(
        default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    # What `renditions.render` made, for the version it names; empty until
    # the background task has run.
    renditions = models.JSONField(
        default=dict, blank=True, editable=False, decoder=renditions_record.RecordDecoder
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Moved on by every save from the desk; a form saved from an older
    # version is refused instead of overwriting someone else's words.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Whitespace is no description: stored stripped, so "missing" means
        # empty in the database and in Python alike.
        for _, field in WORDS_TO_PUBLISH:
            setattr(self, field, getattr(self, field).strip())
        super().save(*args, **kwargs)

    def missing_words(self, alt: str = "") -> list[str]:
        """Which of alt text and a credit the picture still lacks; `alt`,
        written for one place it is shown, stands in for its own."""
        words = {field: getattr(self, field) for _, field in WORDS_TO_PUBLISH}
        words["alt_text"] = alt.strip() or words["alt_text"]
        return [label for label, field in WORDS_TO_PUBLISH if not words[field].strip()]
