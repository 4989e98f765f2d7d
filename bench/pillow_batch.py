"""Yardstick for checking a batch's frames: Pillow doing the work of our check on every photo, in a
process pool as large as the machine has cores.

Usage: pillow_batch.py DIR COUNT, or pillow_batch.py --parts FILE. Checks DIR/photo-000.jpg … photo-(COUNT-1).jpg once and prints
`pillow_check SECONDS` (wall time, pool start included). Per photo, as our check does: read the file,
SHA-256 of its bytes, full decode (`load()`), EXIF orientation (in place), a 512 px thumbnail encoded as a JPEG
(quality 82) data URL, and the size checks. `--parts` times those steps apart on one photo in this process (median ms of 5), as
`bench_batch --parts` does ours.
"""

import base64
import hashlib
import io
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from PIL import Image, ImageOps


def check(path):
    with open(path, "rb") as f:
        data = f.read()
    digest = hashlib.sha256(data).hexdigest()
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        # In place: without it Pillow copies the whole decoded picture even when there is nothing to turn,
        # work our check does not do (it turns only a picture whose EXIF says so).
        ImageOps.exif_transpose(im, in_place=True)
        width, height = im.size
        im.thumbnail((512, 512))
        out = io.BytesIO()
        im.convert("RGB").save(out, "JPEG", quality=82)
    url = "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")
    acceptable = 300 <= min(width, height) and max(width, height) <= 6000 and 0.4 <= width / height <= 2.5
    return width, height, digest, len(url), acceptable


def parts(path, runs=5):
    names = ["read", "sha256", "decode", "thumbnail", "encode"]
    times = {name: [] for name in names}
    for _ in range(runs):
        lap = time.perf_counter()

        def took(name):
            nonlocal lap
            now = time.perf_counter()
            times[name].append((now - lap) * 1000.0)
            lap = now

        with open(path, "rb") as f:
            data = f.read()
        took("read")
        hashlib.sha256(data).hexdigest()
        took("sha256")
        im = Image.open(io.BytesIO(data))
        im.load()
        took("decode")
        im.thumbnail((512, 512))
        took("thumbnail")
        out = io.BytesIO()
        im.save(out, "JPEG", quality=82)
        took("encode")
    print("pillow_parts " + " ".join(f"{n}={statistics.median(times[n]):.1f}" for n in names))


def main():
    if sys.argv[1] == "--parts":
        parts(sys.argv[2])
        return
    folder, count = sys.argv[1], int(sys.argv[2])
    paths = [os.path.join(folder, f"photo-{i:03}.jpg") for i in range(count)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        results = list(pool.map(check, paths))
    secs = time.perf_counter() - started
    if len(results) != count or not all(r[4] for r in results):
        sys.exit(f"unexpected results: {results[:3]}")
    print(f"pillow_check {secs:.4f}")


if __name__ == "__main__":
    main()
