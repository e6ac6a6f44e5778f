"""Clean the originals of pictures stored before uploads were cleaned: turn
them upright and drop where they were taken (GPS), XMP and comments, as
every upload now is, and move them under a name made from their
fingerprint and the site's secret key, where no one can guess their
address. Media addresses are public, so an original that still says where
a photographer stood, or that anyone can fetch by its upload date and file
name, is a leak. Safe to run again: a clean picture is left alone."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from articles.management.progress import each_picture
from articles.models import Image
from articles.pictures import services as pictures
from articles.pictures import uploads
from articles.pictures.models import is_stored_under_its_key


class Command(BaseCommand):
    help = (
        "Remove location, turn upright and store under an unguessable name the originals "
        "stored before uploads were cleaned."
    )

    def handle(self, *args, **options):
        cleaned, total, failed = each_picture(
            self, self.clean, errors=(OSError, ValidationError), verbosity=options["verbosity"]
        )
        if options["verbosity"]:
            self.stdout.write(f"\nCleaned {cleaned} of {total} pictures.")
        for line in failed:
            self.stderr.write(f"Could not clean {line}")
        if failed:
            raise CommandError(f"{len(failed)} of {total} pictures could not be cleaned.")

    def clean(self, image_id: int) -> bool:
        image = Image.objects.filter(pk=image_id).first()
        if image is None or not image.file.name:
            return False
        with image.file.open("rb") as stored:
            raw = stored.read()
        name = Path(image.file.name).name
        if uploads.carries_private_metadata(raw):
            file = uploads.read_upload(ContentFile(raw, name=name)).file
        elif not is_stored_under_its_key(image):
            file = ContentFile(raw, name=name)
        else:
            return False
        return pictures.image_original_cleaned(image_id=image_id, was=image.file.name, file=file)
