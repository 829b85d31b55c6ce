#!/usr/bin/env python
"""Rendition benchmark: time and peak memory to produce the site's renditions of a photo.

    .venv/bin/python bench/renditions.py [--photos 100] [--megapixels 24]

Two measurements, each in a fresh process so its peak memory is its own:
1. one 24-megapixel JPEG (6000×4000, camera-like detail) → the rendition set a photo gets
   on the site as an article cover: the article and card sets (media/renditions.py), each
   in AVIF (when Pillow encodes it), WebP and JPEG. Targets: under 1.5 s and under 400 MB peak RSS.
2. 100 typical news photos (2048×1365, ~1 MB JPEGs) → the same set, one photo after the
   other; reports the total and per-photo time.

Renditions are made exactly as the site makes them — Wagtail's create_renditions path:
the original is read once, each rendition is generated in Wagtail's thread pool (3
workers) by Image.generate_rendition_file — but kept in memory instead of written to a
database and storage (which this benchmark does not measure). See bench/README.md.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 1.5
TARGET_PEAK_MB = 400
RENDITION_SETS = ("article", "card")  # what a cover photo gets: article page, cards
TYPICAL_SIZE = (2048, 1365)
WORKERS = 3  # Wagtail's create_renditions thread pool


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def peak_rss_mb():
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent that forked it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def camera_like_jpeg(size):
    """A JPEG with the detail of a real photo (noise over gradients compresses like one)."""
    from PIL import Image, ImageFilter

    width, height = size
    small = (max(1, width // 8), max(1, height // 8))
    base = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize(small),
            Image.radial_gradient("L").resize(small),
            Image.effect_noise(small, 60).filter(ImageFilter.GaussianBlur(2)),
        ],
    ).resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(size, 18).convert("RGB")
    photo = Image.blend(base, grain, 0.25)
    output = BytesIO()
    photo.save(output, format="JPEG", quality=90)
    return output.getvalue()


def news_image(data, size):
    """An unsaved NewsImage for `data`, with an off-centre focal point as editors set."""
    from django.core.files.base import ContentFile

    from media.models import NewsImage

    width, height = size
    image = NewsImage(title="bench", width=width, height=height, collection_id=1)  # no DB
    image.file = ContentFile(data, name="bench.jpg")
    image.focal_point_x, image.focal_point_y = int(width * 0.7), int(height * 0.4)
    image.focal_point_width, image.focal_point_height = width // 5, height // 5
    return image


def make_renditions(image, data):
    """What Image.create_renditions does, minus the database rows and storage writes."""
    import concurrent.futures

    from django.core.files import File

    from wagtail.images.models import Filter

    from media.renditions import filter_specs

    filters = [Filter(spec) for name in RENDITION_SETS for spec in filter_specs(name)]

    def render(image_filter):
        rendition = image.generate_rendition_file(
            image_filter, source=File(BytesIO(data), name="bench.jpg")
        )
        return image_filter.spec, len(rendition.read())

    with (
        image.reduced_source_for(filters),
        concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as executor,
    ):
        return dict(executor.map(render, filters))


def cpu_seconds():
    """CPU time of this process (all threads): unlike wall time, not inflated by other jobs."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def photo_size(megapixels):
    width = int((megapixels * 1_000_000 * 1.5) ** 0.5)
    return (width, int(width / 1.5))


def run_large(path):
    setup_django()
    from PIL import Image

    data = Path(path).read_bytes()
    with Image.open(BytesIO(data)) as photo:
        size = photo.size
    image = news_image(data, size)
    rss_before = peak_rss_mb()
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    renditions = make_renditions(image, data)
    seconds = time.perf_counter() - started
    return {
        "cpu_seconds": round(cpu_seconds() - cpu_before, 2),
        "size": size,
        "source_mb": round(len(data) / 1e6, 1),
        "renditions": len(renditions),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_rss_mb()),
        "rss_before_mb": round(rss_before),
    }


def run_batch(photos, path):
    setup_django()
    data = Path(path).read_bytes()
    started = time.perf_counter()
    count = 0
    for _ in range(photos):
        count += len(make_renditions(news_image(data, TYPICAL_SIZE), data))
    seconds = time.perf_counter() - started
    return {
        "photos": photos,
        "source_mb": round(len(data) / 1e6, 2),
        "renditions": count,
        "seconds": round(seconds, 1),
        "per_photo_ms": round(seconds / photos * 1000),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def in_fresh_process(mode, value, path):
    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, __file__, "--child", mode, str(value), str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--megapixels", type=float, default=24)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, value, path = args.child
        result = run_large(path) if mode == "large" else run_batch(int(value), path)
        print(json.dumps(result))  # noqa: T201
        return 0

    from PIL import features

    print(f"Pillow AVIF encoder: {'yes' if features.check('avif') else 'no'}")  # noqa: T201
    # The test photos are made here, so their making does not count in a child's peak memory.
    workdir = Path(tempfile.mkdtemp(prefix="qiaoyin-bench-"))
    large_path, typical_path = workdir / "large.jpg", workdir / "typical.jpg"
    large_path.write_bytes(camera_like_jpeg(photo_size(args.megapixels)))
    typical_path.write_bytes(camera_like_jpeg(TYPICAL_SIZE))
    try:
        large = in_fresh_process("large", args.megapixels, large_path)
        batch = in_fresh_process("batch", args.photos, typical_path)
    finally:
        shutil.rmtree(workdir)
    print(  # noqa: T201
        f"{args.megapixels:g} MP JPEG {large['size'][0]}×{large['size'][1]} "
        f"({large['source_mb']} MB) → {large['renditions']} renditions: "
        f"{large['seconds']} s (target < {TARGET_SECONDS} s; {large['cpu_seconds']} s CPU), "
        f"peak RSS {large['peak_rss_mb']} MB "
        f"(target < {TARGET_PEAK_MB} MB; {large['rss_before_mb']} MB before rendering)"
    )
    print(  # noqa: T201
        f"{batch['photos']} news photos {TYPICAL_SIZE[0]}×{TYPICAL_SIZE[1]} "
        f"({batch['source_mb']} MB each) → {batch['renditions']} renditions: "
        f"{batch['seconds']} s ({batch['per_photo_ms']} ms per photo), "
        f"peak RSS {batch['peak_rss_mb']} MB"
    )
    met = large["seconds"] < TARGET_SECONDS and large["peak_rss_mb"] < TARGET_PEAK_MB
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # noqa: T201
    print("targets met" if met else "TARGET MISSED")  # noqa: T201
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
