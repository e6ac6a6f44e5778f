"""Pictures for the demo newsroom, drawn with Pillow: simple scenes in the
palette each demo image asks for, the same every time for the same key."""

import io
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 900


def _blend(a: tuple, b: tuple, t: float) -> tuple:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _rgb(hex_colour: str) -> tuple:
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def _sky(draw, top, bottom, horizon):
    for y in range(horizon):
        draw.line([(0, y), (WIDTH, y)], fill=_blend(top, bottom, y / horizon))


def _skyline(draw, rng, mid, front):
    for layer, colour in ((0, mid), (1, front)):
        x = -20
        while x < WIDTH:
            w = rng.randint(60, 160)
            h = rng.randint(180, 520) - layer * 120
            draw.rectangle([x, HEIGHT - h, x + w, HEIGHT], fill=colour)
            for wy in range(HEIGHT - h + 20, HEIGHT - 20, 40):
                for wx in range(x + 12, x + w - 12, 28):
                    if rng.random() < 0.35:
                        draw.rectangle(
                            [wx, wy, wx + 10, wy + 16], fill=_blend(colour, (255, 230, 150), 0.7)
                        )
            x += w + rng.randint(4, 30)


def _waves(draw, rng, mid, front, top):
    for row, y in enumerate(range(top, HEIGHT, 26)):
        colour = _blend(mid, front, row / ((HEIGHT - top) / 26))
        for x in range(-40, WIDTH, 80):
            draw.arc([x, y, x + 80, y + 30], 180, 360, fill=colour, width=5)


def _hills(draw, rng, mid, front):
    for layer, colour in enumerate((mid, front)):
        base = 480 + layer * 160
        points = [(0, HEIGHT)]
        for x in range(0, WIDTH + 100, 100):
            points.append((x, base - rng.randint(0, 220 - layer * 80)))
        points.append((WIDTH, HEIGHT))
        draw.polygon(points, fill=colour)


def _bars(draw, rng, mid, front):
    values = [rng.randint(150, 650) for _ in range(12)]
    for i, value in enumerate(values):
        x = 140 + i * 115
        draw.rectangle([x, HEIGHT - 80 - value, x + 80, HEIGHT - 80], fill=mid if i % 3 else front)
    draw.line([(100, HEIGHT - 80), (WIDTH - 80, HEIGHT - 80)], fill=front, width=6)


def _rain(draw, rng, mid, front):
    _skyline(draw, rng, mid, front)
    for _ in range(900):
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        draw.line([(x, y), (x - 8, y + 30)], fill=(220, 230, 240), width=2)


def _crowd(draw, rng, mid, front, top):
    for y in range(top, HEIGHT + 40, 36):
        for x in range(rng.randint(-30, 0), WIDTH, 44):
            colour = _blend(mid, front, rng.random())
            draw.ellipse([x, y, x + 30, y + 30], fill=colour)
            draw.rectangle([x - 4, y + 28, x + 34, y + 70], fill=colour)


def _stadium(draw, rng, mid, front):
    """A floodlit ground at dusk: light towers over the stands, the crowd,
    then a striped green outfield with the pale pitch in its middle."""
    for x in (160, 1440):
        draw.rectangle([x - 8, 60, x + 8, 380], fill=(60, 64, 72))
        draw.rectangle([x - 70, 40, x + 70, 100], fill=(70, 74, 82))
        for lx in range(x - 60, x + 60, 24):
            draw.ellipse([lx, 52, lx + 16, 68], fill=(255, 250, 210))
            draw.ellipse([lx, 76, lx + 16, 92], fill=(255, 250, 210))
    draw.rectangle([0, 300, WIDTH, 470], fill=(80, 80, 90))
    for y in range(300, 470, 30):
        for x in range(rng.randint(-20, 0), WIDTH, 26):
            colour = rng.choice([(230, 80, 70), (250, 210, 80), (240, 240, 240), (90, 140, 220)])
            draw.ellipse([x, y, x + 16, y + 16], fill=colour)
            draw.rectangle([x - 2, y + 15, x + 18, y + 28], fill=colour)
    for band, y in enumerate(range(470, HEIGHT, 43)):
        shade = mid if band % 2 else _blend(mid, (255, 255, 255), 0.12)
        draw.rectangle([0, y, WIDTH, y + 43], fill=shade)
    draw.polygon([(740, 560), (860, 560), (900, HEIGHT), (700, HEIGHT)], fill=front)
    for x in (780, 800, 820):
        draw.rectangle([x - 2, 575, x + 2, 610], fill=(250, 250, 250))


def _dome(draw, rng, mid, front):
    draw.rectangle([300, 520, 1300, HEIGHT], fill=mid)
    draw.pieslice([550, 240, 1050, 740], 180, 360, fill=front)
    for x in range(340, 1280, 90):
        draw.rectangle([x, 560, x + 30, HEIGHT - 40], fill=front)


def _lab(draw, rng, mid, front):
    draw.rectangle([0, 620, WIDTH, HEIGHT], fill=mid)
    for x in range(160, WIDTH - 100, 260):
        h = rng.randint(160, 300)
        draw.rectangle([x + 30, 620 - h, x + 70, 620 - h + 120], outline=front, width=8)
        draw.ellipse([x, 620 - h + 100, x + 100, 620], fill=front)


def draw_picture(key: str, scene: str, palette: list[str]) -> bytes:
    """A 1600×900 JPEG of the scene, seeded by `key` so it never changes."""
    rng = random.Random(key)
    sky, mid, front = (_rgb(colour) for colour in palette)
    picture = Image.new("RGB", (WIDTH, HEIGHT), sky)
    draw = ImageDraw.Draw(picture)
    _sky(draw, sky, _blend(sky, (255, 255, 255), 0.6), HEIGHT)
    draw.ellipse([1200, 90, 1340, 230], fill=_blend(sky, (255, 250, 220), 0.8))
    painters = {
        "skyline": lambda: _skyline(draw, rng, mid, front),
        "harbour": lambda: (_skyline(draw, rng, mid, mid), _waves(draw, rng, mid, front, 620)),
        "field": lambda: _hills(draw, rng, mid, front),
        "mountains": lambda: _hills(draw, rng, mid, front),
        "stadium": lambda: _stadium(draw, rng, mid, front),
        "market": lambda: _crowd(draw, rng, mid, front, 420),
        "chart": lambda: _bars(draw, rng, mid, front),
        "parliament": lambda: _dome(draw, rng, mid, front),
        "rain": lambda: _rain(draw, rng, mid, front),
        "lab": lambda: _lab(draw, rng, mid, front),
    }
    painters.get(scene, painters["field"])()
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()
