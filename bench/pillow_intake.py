"""Yardstick for frame intake: Pillow decoding the same files to a 512 px preview, in process.

Usage: pillow_intake.py JPEG PNG [RUNS]. Prints `RESULT pillow_jpeg_ms=...` and `RESULT pillow_png_ms=...`
(medians). `load()` forces the full decode so the figure is not a lazy open.
"""

import statistics
import sys
import time

from PIL import Image, ImageOps


def preview(path, draft, eighth=False):
    with Image.open(path) as im:
        if eighth:
            # For information: DCT scaling at 1/8, the scale our preview decodes at. `draft` with
            # (512, 512) picks 1/4 for a 6000x4000 photo, as both sides must stay >= 512.
            im.draft("RGB", (im.width // 8, im.height // 8))
        elif draft:
            im.draft("RGB", (512, 512))
        im.load()
        im = ImageOps.exif_transpose(im)
        im.thumbnail((512, 512))
        return im.size


def median_ms(path, draft, runs, eighth=False):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        preview(path, draft, eighth)
        times.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(times)


def main():
    jpeg, png = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 11
    print(f"RESULT pillow_jpeg_ms={median_ms(jpeg, True, runs):.3f}")
    print(f"RESULT pillow_png_ms={median_ms(png, False, runs):.3f}")
    print(f"RESULT pillow_jpeg_eighth_ms={median_ms(jpeg, True, runs, eighth=True):.3f}")
    print(f"RESULT pillow_version={Image.__version__}")


if __name__ == "__main__":
    main()
