"""Plants a long history in the app's database: the Jobs screen's end-to-end test of 10 000 jobs.

Usage: python3 seed_jobs.py DB COUNT THUMB_JPEG (prints what it planted as JSON)

The app must have created the database once (its migrations made the tables). Every row goes in one
transaction (executemany), so 10 000 jobs take about a second. The history looks like a creator's: mostly
finished videos, some failures and uncertain submissions with their problem, a few never sent, some in
batches, English and Chinese prompts of realistic length, most with a first-frame thumbnail. Nothing in it is
unfinished, so the app has nothing to resume or send on start. Job `n` (1 = oldest) has "#n" in its prompt, so
a test can tell which part of the history is on screen.
"""

import json
import random
import sqlite3
import sys
import time
import uuid

EN = [
    "A golden retriever walks along the beach at sunset, slow dolly in, shallow depth of field",
    "An old fisherman mends his net by the harbour while gulls circle overhead, handheld, cinematic lighting",
    "A red sports car drifts through heavy rain on a mountain road, aerial drone shot, wide angle",
    "A ballet dancer turns slowly towards the camera under a single spotlight, static camera",
    "A paper boat drifts down a flooded street past glowing shop windows, orbit shot, 35mm film grain",
    "A lighthouse glows under a stormy sky as waves break on the rocks below, slow push in",
]
ZH = [
    "一只橘猫在海边的日落时分慢慢走过，镜头缓慢推进，浅景深",
    "一位老渔夫转过身看向镜头，微微一笑，手持拍摄，电影感光线",
    "穿汉服的女孩在雪后的森林中缓缓转身，航拍视角，广角镜头",
    "街头的吉他手在霓虹灯下的夜色里弹唱，固定机位，柔和的晨光",
]


def main():
    db, count, thumb_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(thumb_path, "rb") as f:
        thumb = f.read()
    rng = random.Random(0x5EED)
    # One job a minute (10 000 span a week), the newest an hour ago: recent enough for the spend panel's
    # periods, too old to count as a double submission.
    newest = int(time.time() * 1000) - 3600 * 1000
    c = sqlite3.connect(db)
    c.execute("PRAGMA foreign_keys = ON")
    # A test database: no need to wait for the disk at commit.
    c.execute("PRAGMA synchronous = OFF")
    batches, batch_jobs, jobs = [], [], []
    batch_id, batch_left, batch_item = None, 0, 0
    for n in range(1, count + 1):
        at = newest - (count - n) * 60_000
        prompt = f"{rng.choice(EN) if rng.random() < 0.6 else rng.choice(ZH)} #{n}"
        roll = rng.random()
        status, error_kind, error_message, output, task_id, sent = "done", None, None, None, f"task-{n}", at + 500
        if roll < 0.10:
            status, error_kind = "failed", "task_failed"
            error_message = json.dumps(
                {"key": "msg.pipeline.task_failed", "args": {"reason": "the output was refused by the content filter"}}
            )
        elif roll < 0.12:
            status, error_kind, task_id = "submission_uncertain", "submission_uncertain", None
            error_message = json.dumps({"key": "msg.api.submission_uncertain", "args": {}})
        elif roll < 0.13 and at < newest - 12 * 3600 * 1000:
            # Older than the never-sent hold: it waits for the user instead of being sent on start.
            status, task_id, sent = "not_sent", None, None
        else:
            output = f"/home/me/Videos/Seedance Studio/seedance-{n:05}.mp4"
        with_frame = rng.random() < 0.8
        request = {
            "prompt": prompt,
            "first_frame": f"/home/me/Pictures/shot_{n}.jpg" if with_frame else None,
            "last_frame": None,
            "resolution": "720p",
            "ratio": "16:9",
            "duration": 5,
            "generate_audio": True,
            "camera_fixed": False,
            "draft": False,
            "watermark": False,
        }
        job_id = str(uuid.UUID(int=rng.getrandbits(128)))
        jobs.append(
            (
                job_id, at, at + 90_000, status, json.dumps(request), prompt,
                "first_frame" if with_frame else "text_to_video", request["first_frame"],
                sent, task_id, output, 108_900, error_kind, error_message,
                at + 90_000 if status in ("done", "failed") else None, thumb if with_frame else None,
            )
        )
        # Runs of 20 jobs in a batch now and then (a finished batch: nothing left to send).
        if batch_left == 0 and status != "not_sent" and rng.random() < 0.01:
            batch_id, batch_left, batch_item = str(uuid.uuid4()), 20, 0
            batches.append((batch_id, f"Batch {len(batches) + 1}", at, at, "folder", "finished", 0, 0, "{}", "fp-" + batch_id))
        if batch_left > 0:
            batch_item += 1
            batch_left -= 1
            batch_jobs.append((job_id, batch_id, batch_item, 1))
    c.executemany(
        """INSERT INTO jobs (id, created_at, updated_at, status, request_json, prompt, mode, first_frame_path,
                             create_sent_at, task_id, output_path, tokens_estimate, error_kind, error_message,
                             finished_at, first_thumb, resolution, ratio, duration)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '720p', '16:9', 5)""",
        jobs,
    )
    c.executemany(
        """INSERT INTO batches (id, name, created_at, updated_at, source, state, tokens_min, tokens_max,
                                total_json, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        batches,
    )
    c.executemany("INSERT INTO batch_jobs (job_id, batch_id, item, take) VALUES (?, ?, ?, ?)", batch_jobs)
    c.commit()
    c.close()
    print(json.dumps({"jobs": len(jobs), "batches": len(batches), "newest": newest, "batch_ids": [b[0] for b in batches]}))


main()
