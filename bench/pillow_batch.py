"""Yardstick for checking a batch's frames: Pillow doing the work of our check on every photo, in a
process pool as large as the machine has cores.

Usage: pillow_batch.py DIR COUNT [--full], pillow_batch.py --parts FILE, or pillow_batch.py --path full|draft FILE RUNS.
Checks DIR/photo-000.jpg … photo-(COUNT-1).jpg once and prints
`pillow_check SECONDS` (wall time, pool start included). Per photo, as our check does: read the file,
SHA-256 of its bytes, decode (`load()`) at the scale ours reads (draft, below), EXIF orientation (in place), a
512 px thumbnail encoded as a JPEG (quality 82) data URL, and the size checks. `--full` decodes every pixel
instead (what our check did before it read big baseline JPEGs at 1/8 scale). `--parts` times those steps apart on one photo in this process (median ms of 5), as
`bench_batch --parts` does ours. `--path` runs the whole check of one photo RUNS times in this process and prints
`path MODE MEDIAN_MS`, for `/usr/bin/time` to give its CPU time, as `bench_batch --path` does ours. `draft`
lets libjpeg decode at the smallest DCT scale whose picture still has a long side of 384 px (3/4 of the
thumbnail, as our check asks): 1/8 for a 24 MP photo, as ours. It still reads every entropy-coded byte
(libjpeg only warns about damaged scan data where our check refuses the file, so it is the same work, not the
same strictness).
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


def check(path, draft=False):
    with open(path, "rb") as f:
        data = f.read()
    digest = hashlib.sha256(data).hexdigest()
    with Image.open(io.BytesIO(data)) as im:
        full_size = im.size
        if draft:
            im.draft("RGB", (384, 384))
        im.load()
        # In place: without it Pillow copies the whole decoded picture even when there is nothing to turn,
        # work our check does not do (it turns only a picture whose EXIF says so).
        ImageOps.exif_transpose(im, in_place=True)
        # A draft's picture is smaller than the file's: the size checks take the header's (the bench's photos
        # have no EXIF turn, which would swap its sides).
        width, height = full_size if draft else im.size
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


def path(mode, file, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = check(file, draft=(mode == "draft"))
        times.append((time.perf_counter() - started) * 1000.0)
        if not result[4]:
            sys.exit(f"unexpected result: {result}")
    print(f"path {mode} {statistics.median(times):.1f}")


def check_draft(file):
    return check(file, draft=True)


def main():
    if sys.argv[1] == "--parts":
        parts(sys.argv[2])
        return
    if sys.argv[1] == "--path":
        path(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    folder, count = sys.argv[1], int(sys.argv[2])
    draft = sys.argv[3:] != ["--full"]
    paths = [os.path.join(folder, f"photo-{i:03}.jpg") for i in range(count)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        results = list(pool.map(check_draft if draft else check, paths))
    secs = time.perf_counter() - started
    if len(results) != count or not all(r[4] for r in results):
        sys.exit(f"unexpected results: {results[:3]}")
    print(f"pillow_check {secs:.4f}")


if __name__ == "__main__":
    main()
