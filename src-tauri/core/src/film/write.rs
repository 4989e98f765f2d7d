//! The joined film's `moov`: the first clip's movie, track, handler and sample description boxes with the
//! durations of the whole film, and sample tables written again from the appended samples (run-length
//! `stts`, `ctts` when any clip reorders frames, `stss` when any clip has one, `stsc`, `stsz`, 32- or
//! 64-bit chunk offsets, and a sample grouping the clips share). Metadata (`udta`) is left out: the
//! first clip's recipe does not describe the film.

use super::boxes::Writer;
use super::headers::{Layout, TimedHeader};
use super::merge::Merged;
use super::track::Edit;

/// The `moov` box. Chunk offsets are `base` plus each chunk's place in the media data; `wide_offsets`
/// writes `co64` instead of `stco`.
pub fn movie(mvhd: &TimedHeader, tracks: &[Merged], base: u64, wide_offsets: bool) -> Vec<u8> {
    let mut w = Writer::default();
    let moov = w.open(b"moov");
    let mut movie_header = TimedHeader {
        duration: tracks.iter().map(Merged::duration).max().unwrap_or(0),
        ..mvhd.clone()
    };
    // The last field of `mvhd` is the next free track id.
    if let Some(at) = movie_header.rest.len().checked_sub(4) {
        let next = u32::try_from(tracks.len() + 1).unwrap_or(u32::MAX);
        movie_header.rest[at..].copy_from_slice(&next.to_be_bytes());
    }
    movie_header.write(&mut w, b"mvhd", Layout::Plain);
    for (i, track) in tracks.iter().enumerate() {
        let id = u32::try_from(i + 1).unwrap_or(u32::MAX);
        write_track(&mut w, track, id, base, wide_offsets);
    }
    w.close(moov);
    w.bytes
}

fn write_track(w: &mut Writer, track: &Merged, id: u32, base: u64, wide_offsets: bool) {
    let trak = w.open(b"trak");
    TimedHeader {
        field: id,
        duration: track.duration(),
        ..track.first.tkhd.clone()
    }
    .write(w, b"tkhd", Layout::Track);
    write_edits(w, &track.edits);
    let mdia = w.open(b"mdia");
    TimedHeader {
        duration: track.media_duration,
        ..track.first.mdhd.clone()
    }
    .write(w, b"mdhd", Layout::Plain);
    w.raw(&track.first.hdlr);
    let minf = w.open(b"minf");
    w.raw(&track.first.media_header);
    w.raw(&track.first.dinf);
    let stbl = w.open(b"stbl");
    w.raw(&track.first.stsd);
    write_tables(w, track, base, wide_offsets);
    w.close(stbl);
    w.close(minf);
    w.close(mdia);
    w.close(trak);
}

fn write_edits(w: &mut Writer, edits: &[Edit]) {
    let wide = edits.iter().any(|e| {
        e.duration > u64::from(u32::MAX) || e.media_time.is_some_and(|t| t > i32::MAX as u64)
    });
    let edts = w.open(b"edts");
    let elst = w.open_full(b"elst", u8::from(wide), 0);
    w.u32(u32::try_from(edits.len()).unwrap_or(u32::MAX));
    for edit in edits {
        match (wide, edit.media_time) {
            (true, time) => {
                w.u64(edit.duration);
                w.u64(time.unwrap_or(u64::MAX));
            }
            (false, time) => {
                w.u32(u32::try_from(edit.duration).unwrap_or(u32::MAX));
                w.u32(time.map_or(u32::MAX, |t| u32::try_from(t).unwrap_or(u32::MAX)));
            }
        }
        w.u32(0x0001_0000);
    }
    w.close(elst);
    w.close(edts);
}

/// Run-length entries `(count, value)` of a sequence.
fn runs<T: PartialEq + Copy>(values: impl Iterator<Item = T>) -> Vec<(u32, T)> {
    let mut out: Vec<(u32, T)> = Vec::new();
    for v in values {
        match out.last_mut() {
            Some((n, last)) if *last == v => *n += 1,
            _ => out.push((1, v)),
        }
    }
    out
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn write_tables(w: &mut Writer, track: &Merged, base: u64, wide_offsets: bool) {
    let samples = &track.samples;

    let stts = runs(samples.iter().map(|s| s.duration));
    let at = w.open_full(b"stts", 0, 0);
    w.u32(count(stts.len()));
    for (n, duration) in stts {
        w.u32(n);
        w.u32(duration);
    }
    w.close(at);

    if track.has_offsets {
        let ctts = runs(samples.iter().map(|s| s.offset));
        let negative = ctts.iter().any(|(_, o)| *o < 0);
        let at = w.open_full(b"ctts", u8::from(negative), 0);
        w.u32(count(ctts.len()));
        for (n, offset) in ctts {
            w.u32(n);
            w.u32(offset as u32);
        }
        w.close(at);
    }

    if track.has_sync_table {
        let sync: Vec<usize> = (0..samples.len()).filter(|&i| samples[i].sync).collect();
        let at = w.open_full(b"stss", 0, 0);
        w.u32(count(sync.len()));
        for i in sync {
            w.u32(count(i + 1));
        }
        w.close(at);
    }

    let stsc = runs(track.chunk_samples.iter().copied());
    let at = w.open_full(b"stsc", 0, 0);
    w.u32(count(stsc.len()));
    let mut first_chunk = 1u32;
    for (n, per_chunk) in stsc {
        w.u32(first_chunk);
        w.u32(count(per_chunk));
        w.u32(1);
        first_chunk += n;
    }
    w.close(at);

    let at = w.open_full(b"stsz", 0, 0);
    match samples.first() {
        Some(first) if samples.iter().all(|s| s.size == first.size) => {
            w.u32(first.size);
            w.u32(count(samples.len()));
        }
        _ => {
            w.u32(0);
            w.u32(count(samples.len()));
            for s in samples {
                w.u32(s.size);
            }
        }
    }
    w.close(at);

    let at = w.open_full(if wide_offsets { b"co64" } else { b"stco" }, 0, 0);
    w.u32(count(track.chunk_offsets.len()));
    for &offset in &track.chunk_offsets {
        if wide_offsets {
            w.u64(base + offset);
        } else {
            w.u32(u32::try_from(base + offset).unwrap_or(u32::MAX));
        }
    }
    w.close(at);

    if let Some(groups) = &track.groups {
        w.raw(&groups.description);
        let at = w.open_full(b"sbgp", 0, 0);
        w.raw(&groups.grouping);
        w.u32(count(groups.runs.len()));
        for &(n, index) in &groups.runs {
            w.u32(n);
            w.u32(index);
        }
        w.close(at);
    }
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn runs_count_repeats() {
        assert_eq!(
            runs([512, 512, 512, 1024, 512].into_iter()),
            vec![(3, 512), (1, 1024), (1, 512)]
        );
        assert!(runs(std::iter::empty::<u32>()).is_empty());
    }
}
