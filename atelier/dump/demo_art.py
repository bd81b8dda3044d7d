"""Procedural artworks for the demo: every image and comic post gets a picture drawn with
Pillow, in a style of its author's, and music and video posts get a cover.

Deterministic: the style and palette come from the author's id, the composition from the
post's id, so the same community always looks the same. Pictures are drawn at display size
and stored as an upload's are (a display size and a 480 px thumbnail, a placeholder
colour), but encoded as baseline JPEG: every image post of the demo gets its own picture,
thousands of them, and JPEG encodes these in about 3 ms where the uploads' WebP takes
about 25 (docs/media.md, "The demo's pictures").
"""

import colorsys
import io
import math
import multiprocessing
import os
import random
from concurrent.futures import ProcessPoolExecutor

from PIL import Image, ImageDraw, ImageFilter

from atelier.media import processing

# This module is imported by worker processes that never set Django up: only the function
# `illustrate` touches models (and atelier.dump.demo, which imports them), and imports them
# itself.

# By default every image and comic post gets a picture (None: no limit), and the newest
# music and video posts a cover (their tiles show a title without one).
DEFAULT_PICTURES = None
DEFAULT_COVERS = 40
JPEG_QUALITY = 85


def _palette(rng: random.Random, count: int = 5) -> list[tuple[int, int, int]]:
    """Harmonious colours: one hue family plus a complementary accent."""
    hue = rng.random()
    colours = []
    for i in range(count):
        h = (hue + (0.5 if i == count - 1 else rng.uniform(-0.08, 0.08))) % 1.0
        s = rng.uniform(0.35, 0.85)
        v = rng.uniform(0.35, 0.95)
        r, g, b = colorsys.hsv_to_rgb(h, s, v)
        colours.append((int(r * 255), int(g * 255), int(b * 255)))
    return colours


def _geometric(draw, size, rng, palette) -> None:
    w, h = size
    for _ in range(rng.randint(6, 14)):
        colour = rng.choice(palette)
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.randint(w // 16, w // 4)
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
    for _ in range(rng.randint(2, 5)):
        y = rng.randrange(h)
        draw.line((0, y, w, y + rng.randint(-h // 4, h // 4)), fill=palette[0], width=6)


def _waves(draw, size, rng, palette) -> None:
    w, h = size
    bands = rng.randint(5, 9)
    phase = rng.random() * math.tau
    for band in range(1, bands + 1):
        base = h * band / (bands + 1)
        amplitude = rng.uniform(h / 30, h / 10)
        frequency = rng.uniform(1.0, 3.0)
        points = [
            (x, base + amplitude * math.sin(phase + frequency * math.tau * x / w + band))
            for x in range(0, w + 20, 20)
        ]
        draw.polygon([*points, (w, h), (0, h)], fill=palette[band % len(palette)])


def _mosaic(draw, size, rng, palette) -> None:
    w, h = size
    tile = rng.choice((40, 50, 64, 80))
    for x in range(0, w, tile):
        for y in range(0, h, tile):
            a, b = rng.sample(palette, 2)
            draw.rectangle((x, y, x + tile, y + tile), fill=a)
            corners = [(x, y), (x + tile, y), (x + tile, y + tile), (x, y + tile)]
            start = rng.randrange(4)
            draw.polygon([corners[(start + i) % 4] for i in range(3)], fill=b)


def _nebula(image, rng, palette) -> Image.Image:
    # Drawn small and blurred, then enlarged: soft gradients for the cost of a thumbnail.
    small = Image.new("RGB", (image.width // 8, image.height // 8), palette[0])
    draw = ImageDraw.Draw(small)
    for _ in range(rng.randint(12, 24)):
        x, y = rng.randrange(small.width), rng.randrange(small.height)
        r = rng.randint(4, small.width // 3)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(palette))
    small = small.filter(ImageFilter.GaussianBlur(radius=small.width / 18))
    big = small.resize(image.size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(big)
    for _ in range(rng.randint(40, 120)):  # stars
        x, y = rng.randrange(big.width), rng.randrange(big.height)
        draw.point((x, y), fill=(255, 255, 240))
    return big


def _strokes(draw, size, rng, palette) -> None:
    w, h = size
    for _ in range(rng.randint(18, 30)):
        x, y = rng.randrange(w), rng.randrange(h)
        angle = rng.random() * math.tau
        points = [(x, y)]
        for _ in range(rng.randint(8, 20)):
            angle += rng.uniform(-0.6, 0.6)
            x += math.cos(angle) * 30
            y += math.sin(angle) * 30
            points.append((x, y))
        draw.line(points, fill=rng.choice(palette), width=rng.randint(3, 14), joint="curve")


STYLES = ("geometric", "waves", "mosaic", "nebula", "strokes")
# At most THUMBNAIL_SIZE on the long side: one stored file serves as the display size and
# the thumbnail (see render).
SIZES = ((480, 360), (360, 480), (420, 420), (480, 320))


def artwork(author_id: int, post_id: int) -> Image.Image:
    """An image post's picture: the author's style and palette, the post's composition."""
    style_rng = random.Random(author_id * 7919)
    style = STYLES[author_id % len(STYLES)]
    palette = _palette(style_rng)
    rng = random.Random(post_id * 104_729 + 1)
    size = SIZES[(author_id + post_id % 2) % len(SIZES)]
    image = Image.new("RGB", size, palette[-2])
    if style == "nebula":
        return _nebula(image, rng, palette)
    draw = ImageDraw.Draw(image)
    {"geometric": _geometric, "waves": _waves, "mosaic": _mosaic, "strokes": _strokes}[style](
        draw, size, rng, palette
    )
    return image


def comic(author_id: int, post_id: int) -> Image.Image:
    """A comic page: panels with simple figures and speech balloons."""
    palette = _palette(random.Random(author_id * 7919))
    rng = random.Random(post_id * 104_729 + 2)
    w, h = 540, 720
    image = Image.new("RGB", (w, h), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    rows = rng.choice((2, 3))
    gutter = 16
    panel_h = (h - gutter * (rows + 1)) // rows
    for row in range(rows):
        cols = rng.choice((1, 2, 2))
        panel_w = (w - gutter * (cols + 1)) // cols
        for col in range(cols):
            x0 = gutter + col * (panel_w + gutter)
            y0 = gutter + row * (panel_h + gutter)
            x1, y1 = x0 + panel_w, y0 + panel_h
            draw.rectangle((x0, y0, x1, y1), fill=rng.choice(palette[:3]))
            ground = y0 + int(panel_h * rng.uniform(0.6, 0.8))
            draw.rectangle((x0, ground, x1, y1), fill=palette[3])
            # A figure: head and body.
            fx = rng.randint(x0 + 40, x1 - 40)
            draw.ellipse((fx - 18, ground - 90, fx + 18, ground - 54), fill=(40, 40, 40))
            draw.rectangle((fx - 14, ground - 54, fx + 14, ground), fill=(40, 40, 40))
            # A speech balloon.
            bx = rng.randint(x0 + 20, max(x0 + 21, x1 - 150))
            by = y0 + 16
            draw.ellipse((bx, by, bx + 130, by + 60), fill="white", outline="black", width=3)
            for line in range(2):
                ly = by + 22 + line * 14
                draw.line((bx + 25, ly, bx + 105, ly), fill=(90, 90, 90), width=4)
            draw.rectangle((x0, y0, x1, y1), outline="black", width=5)
    return image


def cover(author_id: int, post_id: int, post_type: str) -> Image.Image:
    """A square cover: rings for music, a horizon at dusk for video."""
    palette = _palette(random.Random(author_id * 7919))
    rng = random.Random(post_id * 104_729 + 3)
    side = 480
    image = Image.new("RGB", (side, side), palette[0])
    draw = ImageDraw.Draw(image)
    if post_type == "music":
        c = side // 2
        for i, radius in enumerate(range(side // 2, 20, -rng.randint(18, 40))):
            draw.ellipse((c - radius, c - radius, c + radius, c + radius), fill=palette[i % 5])
        draw.ellipse((c - 14, c - 14, c + 14, c + 14), fill=(20, 20, 20))
    else:
        horizon = int(side * rng.uniform(0.55, 0.7))
        for y in range(horizon):
            t = y / horizon
            top, low = palette[0], palette[1]
            colour = tuple(int(top[k] * (1 - t) + low[k] * t) for k in range(3))
            draw.line((0, y, side, y), fill=colour)
        sun = rng.randint(side // 5, side * 4 // 5)
        draw.ellipse((sun - 60, horizon - 60, sun + 60, horizon + 60), fill=palette[4])
        draw.rectangle((0, horizon, side, side), fill=palette[3])
        draw.rectangle((0, 0, side, 40), fill=(15, 15, 15))
        draw.rectangle((0, side - 40, side, side), fill=(15, 15, 15))
    return image


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def render(job: tuple[int, int, str]) -> processing.ProcessedImage:
    """Draw and encode the picture of one post: (post id, author id, post type)."""
    post_id, author_id, post_type = job
    if post_type == "image":
        picture = artwork(author_id, post_id)
    elif post_type == "comic":
        picture = comic(author_id, post_id)
    else:
        picture = cover(author_id, post_id, post_type)
    picture = processing.plain_colours(picture)
    # Drawn at (or reduced to) the thumbnail's size, encoded once: the same bytes are the
    # display size and the thumbnail, stored as one file (_store). Flat drawn shapes need
    # no LANCZOS for the reduction (comics are drawn larger).
    size = processing.THUMBNAIL_SIZE
    if max(picture.size) > size:
        picture.thumbnail((size, size), Image.Resampling.BILINEAR)
    encoded = _jpeg(picture)
    return processing.ProcessedImage(
        display=encoded,
        thumbnail=encoded,
        width=picture.width,
        height=picture.height,
        # A quarter-size copy gives the same dominant colour at half the cost.
        placeholder=processing.dominant_colour(picture.reduce(4)),
    )


# Below this many pictures, worker processes cost more than they save.
PARALLEL_FROM = 24
# Pictures stored (files written, rows inserted) per batch as the workers deliver them.
STORE_BATCH = 500


def _choose(candidates, circle, limit: int | None) -> list[tuple[int, int, str]]:
    """(post id, author id, post type) of the posts to draw: all of them without a limit,
    else half from the demo account's circle and the rest the newest."""
    newest = ("-created_at", "-id")
    fields = ("id", "author_id", "post_type")
    if limit is None:
        return list(candidates.order_by(*newest).values_list(*fields))
    batch = list(candidates.filter(circle).order_by(*newest).values_list(*fields)[: limit // 2])
    chosen = {job[0] for job in batch}
    for job in candidates.order_by(*newest).values_list(*fields)[: limit + len(chosen)]:
        if len(batch) >= limit:
            break
        if job[0] not in chosen:
            batch.append(job)
    return batch


def _store(done: list[tuple[tuple[int, int, str], processing.ProcessedImage]]) -> None:
    """Write the files of drawn pictures and attach them to their posts, in bulk."""
    from django.utils import timezone

    from atelier.media import storage
    from atelier.media.models import Media
    from atelier.post.models import Post

    now = timezone.now()
    rows = []
    for (post_id, author_id, _type), processed in done:
        stem = storage.new_stem()
        file = storage.save_bytes(f"{stem}.jpg", processed.display)
        thumbnail = file  # one file: render draws at the thumbnail's size
        rows.append(
            Media(
                owner_id=author_id,
                post_id=post_id,
                position=0,
                kind=Media.Kind.IMAGE,
                file=file,
                content_type="image/jpeg",
                size=len(processed.display),
                thumbnail=thumbnail,
                width=processed.width,
                height=processed.height,
                placeholder=processed.placeholder,
                created_at=now,
            )
        )
    Media.objects.bulk_create(rows)
    Post.objects.filter(pk__in=[job[0] for job, _ in done]).update(media_count=1)


def illustrate(
    *,
    pictures: int | None = DEFAULT_PICTURES,
    covers: int | None = DEFAULT_COVERS,
    for_username: str = "",
) -> tuple[int, int]:
    """Give image and comic posts a picture (`pictures` of them; None: every one) and
    music and video posts a cover (`covers` of them; None: every one); return how many of
    each were made. With a limit, half go to the posts `for_username` (the demo account
    by default) is most likely to see first, the rest to the newest.

    Drawing and encoding run in worker processes (one per core, at most 4); storing the
    files and rows stays in this process, in batches.
    """
    from django.db.models import Q

    from atelier.collective.selectors import member_collective_ids
    from atelier.core.models import User
    from atelier.core.selectors import fellow_ids
    from atelier.dump.demo import DEMO_USERNAME
    from atelier.post.models import Post

    # The demo account's circle first (its fellows, its collectives), since that is what
    # its personalized feed leads with, then the newest posts of everyone.
    for_username = for_username or DEMO_USERNAME
    viewer = User.objects.filter(username=for_username).values_list("id", flat=True).first()
    circle = Q(pk__in=[])
    if viewer is not None:
        circle = Q(author_id__in=fellow_ids(viewer)) | Q(
            collective_id__in=member_collective_ids(viewer)
        )
    jobs: list[tuple[int, int, str]] = []
    made = []
    for types, limit in ((("image", "comic"), pictures), (("music", "video"), covers)):
        candidates = Post.objects.filter(post_type__in=types, is_deleted=False, media_count=0)
        batch = _choose(candidates, circle, limit)
        jobs += batch
        made.append(len(batch))

    def store_as_drawn(rendered) -> None:
        done = []
        for pair in zip(jobs, rendered, strict=True):
            done.append(pair)
            if len(done) >= STORE_BATCH:
                _store(done)
                done = []
        if done:
            _store(done)

    if len(jobs) >= PARALLEL_FROM:
        workers = max(1, min(4, os.cpu_count() or 1))
        # "spawn": the workers start clean rather than as forks of a process that may hold
        # database connections and threads.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            store_as_drawn(pool.map(render, jobs, chunksize=32))
    else:
        store_as_drawn(render(job) for job in jobs)
    return made[0], made[1]
