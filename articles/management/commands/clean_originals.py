"""Clean the originals of pictures stored before uploads were cleaned: turn
them upright and drop where they were taken (GPS), XMP and comments, as
every upload now is. Media addresses are public, so an original that still
says where a photographer stood is a leak. Safe to run again: a clean
picture is left alone."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand

from articles import services, uploads
from articles.management.progress import each_picture
from articles.models import Image


class Command(BaseCommand):
    help = "Remove location and turn upright the originals stored before uploads were cleaned."

    def handle(self, *args, **options):
        cleaned, total, failed = each_picture(
            self, self.clean, errors=(OSError, ValidationError), verbosity=options["verbosity"]
        )
        if options["verbosity"]:
            self.stdout.write(f"\nCleaned {cleaned} of {total} pictures.")
        for line in failed:
            self.stderr.write(f"Could not clean {line}")

    def clean(self, image_id: int) -> bool:
        image = Image.objects.filter(pk=image_id).first()
        if image is None:
            return False
        with image.file.open("rb") as stored:
            raw = stored.read()
        if not uploads.carries_private_metadata(raw):
            return False
        upload = uploads.read_upload(ContentFile(raw, name=Path(image.file.name).name))
        return services.image_original_cleaned(
            image_id=image_id, was=image.file.name, file=upload.file
        )
