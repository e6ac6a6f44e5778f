"""Make every picture's renditions that are missing or out of date, with a
progress bar. Safe to run again, and beside the worker: a rendition is
written under a name that says what it is, so doing one twice changes
nothing."""

from django.core.management.base import BaseCommand

from articles import services
from articles.management.progress import show_progress
from articles.models import Image


class Command(BaseCommand):
    help = "Make the renditions of every picture that lacks them (--all: remake all)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Remake renditions that are up to date too."
        )

    def handle(self, *args, **options):
        ids = list(Image.objects.order_by("pk").values_list("pk", flat=True))
        made, failed = 0, []
        for done, image_id in enumerate(ids, 1):
            try:
                made += services.image_render(image_id=image_id, force=options["all"])
            except (OSError, ValueError) as error:
                # A missing or damaged original must not stop the others.
                failed.append(f"picture {image_id}: {error}")
            if options["verbosity"]:
                show_progress(self, done, len(ids), "pictures")
        if options["verbosity"]:
            self.stdout.write(f"\nRenditions made for {made} of {len(ids)} pictures.")
        for line in failed:
            self.stderr.write(f"Could not make renditions of {line}")
