"""Reads a timeline file with OpenTimelineIO's own adapters and prints what it found as JSON: for each
clip on the first video track, its name, duration and start in seconds, and its media's address.

Usage: otio_read.py FILE ADAPTER [RATE]   (ADAPTER: cmx_3600 or fcpx_xml; RATE for cmx_3600)
"""
import json
import sys

import opentimelineio as otio

path, adapter = sys.argv[1], sys.argv[2]
options = {"rate": float(sys.argv[3])} if adapter == "cmx_3600" else {}
result = otio.adapters.read_from_file(path, adapter_name=adapter, **options)
timeline = result
if isinstance(result, otio.schema.SerializableCollection):
    timeline = next(t for t in result.find_children(descended_from_type=otio.schema.Timeline))
track = timeline.video_tracks()[0]
clips = []
for clip in track.find_clips():
    ref = clip.media_reference
    clips.append(
        {
            "name": clip.name,
            "duration": clip.duration().to_seconds(),
            "start": clip.range_in_parent().start_time.to_seconds(),
            "url": getattr(ref, "target_url", None),
        }
    )
print(json.dumps({"name": timeline.name, "clips": clips}, ensure_ascii=False))
