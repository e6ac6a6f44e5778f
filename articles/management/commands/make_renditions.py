"""Make every picture's renditions that are missing or out of date, with a
progress bar. Safe to run again, and beside the worker: a rendition is
written under a name that says what it is, so doing one twice changes
nothing."""

from django.core.management.base import BaseCommand, CommandError

from articles.management.progress import each_picture
from articles.pictures import services as pictures


class Command(BaseCommand):
    help = "Make the renditions of every picture that lacks them (--all: remake all)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Remake renditions that are up to date too."
        )

    def handle(self, *args, **options):
        made, total, failed = each_picture(
            self,
            lambda image_id: pictures.image_render(image_id=image_id, force=options["all"]),
            errors=(OSError, ValueError),
            verbosity=options["verbosity"],
        )
        if options["verbosity"]:
            self.stdout.write(f"\nRenditions made for {made} of {total} pictures.")
        for line in failed:
            self.stderr.write(f"Could not make renditions of {line}")
        if failed:
            raise CommandError(f"Renditions of {len(failed)} of {total} pictures failed.")
