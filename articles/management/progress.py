"""The progress bar the long-running commands draw."""

BAR_WIDTH = 30


def show_progress(command, done: int, total: int, noun: str) -> None:
    """Redraw `command`'s bar on one line: `[#####-----] 3/10 pictures`."""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    command.stdout.write(f"\r[{bar}] {done}/{total} {noun}", ending="")
    command.stdout.flush()
