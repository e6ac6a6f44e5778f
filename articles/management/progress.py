"""The progress bar the long-running commands draw, and the walk over
every picture they share."""

from collections.abc import Callable

from articles.models import Image

BAR_WIDTH = 30


def show_progress(command, done: int, total: int, noun: str) -> None:
    """Redraw `command`'s bar on one line: `[#####-----] 3/10 pictures`."""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    command.stdout.write(f"\r[{bar}] {done}/{total} {noun}", ending="")
    command.stdout.flush()


def each_picture(
    command, work: Callable[[int], bool], *, errors: tuple, verbosity: int
) -> tuple[int, int, list[str]]:
    """Run `work` on every picture's number with a progress bar. A picture
    whose work raises one of `errors` (a missing or damaged original) is
    reported and the others go on. Returns how many `work` changed, how
    many pictures there were, and a line for each that failed."""
    ids = list(Image.objects.order_by("pk").values_list("pk", flat=True))
    changed, failed = 0, []
    for done, image_id in enumerate(ids, 1):
        try:
            changed += work(image_id)
        except errors as error:
            reason = " ".join(getattr(error, "messages", [str(error)]))
            failed.append(f"picture {image_id}: {reason}")
        if verbosity:
            show_progress(command, done, len(ids), "pictures")
    return changed, len(ids), failed
