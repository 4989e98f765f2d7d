//! Text metadata in a movie's `moov/udta/meta/ilst`, the iTunes-style list that ffprobe, exiftool,
//! players and tag editors read: a free-form `----` item (a reverse-DNS `mean`, a `name`, a UTF-8 `data`)
//! holds values no standard item has room for, and `©cmt` is the comment every tool shows.
//!
//! Writing replaces only this crate's own items: other `udta` children (chapters, the encoder's `©too`
//! …) stay. A `meta` whose handler is not `mdir` (QuickTime's `mdta` keys list, whose items are numbered
//! by a `keys` box) is left alone and a second, `mdir` one is added beside it, since renumbering keys
//! would mean understanding them.

use super::boxes::{children, damaged, BoxRef, ReadError, Reader, Writer};

/// One text item: either a free-form item (`mean` + `name`) or a standard four-character one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextItem {
    FreeForm {
        mean: String,
        name: String,
        value: String,
    },
    Standard {
        kind: [u8; 4],
        value: String,
    },
}

impl TextItem {
    /// Whether an existing `ilst` item is the same slot as this one (and so is replaced).
    fn replaces(&self, item: &BoxRef<'_>) -> bool {
        match self {
            Self::Standard { kind, .. } => &item.kind == kind,
            Self::FreeForm { mean, name, .. } => {
                &item.kind == b"----"
                    && free_form_key(item.body)
                        .is_some_and(|(m, n)| m == mean.as_str() && n == name.as_str())
            }
        }
    }

    fn write(&self, w: &mut Writer) {
        let (kind, value) = match self {
            Self::FreeForm { value, .. } => (b"----", value),
            Self::Standard { kind, value } => (kind, value),
        };
        let item = w.open(kind);
        if let Self::FreeForm { mean, name, .. } = self {
            for (box_kind, text) in [(b"mean", mean), (b"name", name)] {
                let at = w.open_full(box_kind, 0, 0);
                w.raw(text.as_bytes());
                w.close(at);
            }
        }
        let data = w.open(b"data");
        w.u32(UTF8); // well-known type: UTF-8 text
        w.u32(0); // locale: any
        w.raw(value.as_bytes());
        w.close(data);
        w.close(item);
    }
}

/// The `data` type of UTF-8 text.
const UTF8: u32 = 1;

/// `(mean, name)` of a `----` item's body.
fn free_form_key(body: &[u8]) -> Option<(&str, &str)> {
    let kids = children(body).ok()?;
    let text = |kind: &[u8; 4]| {
        let b = kids.iter().find(|b| &b.kind == kind)?;
        std::str::from_utf8(b.body.get(4..)?).ok()
    };
    Some((text(b"mean")?, text(b"name")?))
}

/// A `meta` box's children. ISO `meta` is a full box (four bytes of version and flags first);
/// QuickTime's is not: told apart by whether a `hdlr` box starts right away.
fn meta_children(body: &[u8]) -> Result<Vec<BoxRef<'_>>, ReadError> {
    if body.get(4..8) == Some(b"hdlr") {
        children(body)
    } else {
        children(
            body.get(4..)
                .ok_or_else(|| damaged("a meta box ends too early"))?,
        )
    }
}

fn handler_of(meta: &[BoxRef<'_>]) -> Option<[u8; 4]> {
    let hdlr = meta.iter().find(|b| &b.kind == b"hdlr")?;
    hdlr.body.get(8..12)?.try_into().ok()
}

/// The `moov` body with `items` set in its `ilst` (items of the same slot replaced, others kept).
pub fn with_items(moov: &[u8], items: &[TextItem]) -> Result<Vec<u8>, ReadError> {
    let mut w = Writer::default();
    let mut wrote_udta = false;
    for child in children(moov)? {
        if &child.kind == b"udta" && !wrote_udta {
            write_udta(&mut w, Some(child.body), items)?;
            wrote_udta = true;
        } else {
            w.raw(child.whole);
        }
    }
    if !wrote_udta {
        write_udta(&mut w, None, items)?;
    }
    Ok(w.bytes)
}

fn write_udta(w: &mut Writer, old: Option<&[u8]>, items: &[TextItem]) -> Result<(), ReadError> {
    let udta = w.open(b"udta");
    let mut kept_items: Vec<&[u8]> = Vec::new();
    for child in old.map(children).transpose()?.unwrap_or_default() {
        if &child.kind != b"meta" {
            w.raw(child.whole);
            continue;
        }
        let meta = meta_children(child.body)?;
        if handler_of(&meta) != Some(*b"mdir") {
            w.raw(child.whole);
            continue;
        }
        // Our own `meta` replaces this one; its items other than ours move into it.
        for part in meta.iter().filter(|b| &b.kind == b"ilst") {
            for item in children(part.body)? {
                if !items.iter().any(|ours| ours.replaces(&item)) {
                    kept_items.push(item.whole);
                }
            }
        }
    }
    let meta = w.open_full(b"meta", 0, 0);
    let hdlr = w.open_full(b"hdlr", 0, 0);
    w.u32(0); // pre-defined
    w.raw(b"mdir");
    w.raw(b"appl");
    w.u64(0); // reserved
    w.raw(&[0]); // empty name
    w.close(hdlr);
    let ilst = w.open(b"ilst");
    for item in kept_items {
        w.raw(item);
    }
    for item in items {
        item.write(w);
    }
    w.close(ilst);
    w.close(meta);
    w.close(udta);
    Ok(())
}

/// The value of the free-form item `mean`/`name` in a `moov` body, if there is one. An item that is
/// there but unreadable (not UTF-8 text, cut short) is an error, not "none".
pub fn free_form(moov: &[u8], mean: &str, name: &str) -> Result<Option<String>, ReadError> {
    let wanted = TextItem::FreeForm {
        mean: mean.to_owned(),
        name: name.to_owned(),
        value: String::new(),
    };
    for udta in children(moov)?.into_iter().filter(|b| &b.kind == b"udta") {
        for meta in children(udta.body)?
            .into_iter()
            .filter(|b| &b.kind == b"meta")
        {
            for ilst in meta_children(meta.body)?
                .into_iter()
                .filter(|b| &b.kind == b"ilst")
            {
                for item in children(ilst.body)? {
                    if wanted.replaces(&item) {
                        return text_of(&item).map(Some);
                    }
                }
            }
        }
    }
    Ok(None)
}

fn text_of(item: &BoxRef<'_>) -> Result<String, ReadError> {
    let data = children(item.body)?
        .into_iter()
        .find(|b| &b.kind == b"data")
        .ok_or_else(|| damaged("a metadata item without data"))?;
    let mut r = Reader::new(data.body);
    if r.u32()? != UTF8 {
        return Err(damaged("a metadata item that is not text"));
    }
    r.u32()?;
    String::from_utf8(r.rest().to_vec()).map_err(|_| damaged("metadata text that is not UTF-8"))
}

/// Adds `delta` to every chunk offset (`stco`, `co64`) of the `moov` body that is at or past `from`:
/// the media data behind a `moov` that grew or shrank moves by that much. A 32-bit offset that would no
/// longer fit is refused rather than widened (the tables would change size again).
pub fn shift_chunk_offsets(moov: &mut [u8], from: u64, delta: i64) -> Result<(), ReadError> {
    let mut tables = Vec::new();
    collect_offset_tables(moov, 0, &mut tables)?;
    for (wide, at, len) in tables {
        let body = &mut moov[at..at + len];
        let (entry, mut pos) = (if wide { 8 } else { 4 }, 8usize);
        let count = Reader::new(body).take(8)?[4..8]
            .try_into()
            .map(u32::from_be_bytes)
            .map_err(|_| damaged("a chunk offset table"))? as usize;
        if count.saturating_mul(entry) > len - 8 {
            return Err(damaged("a chunk offset table longer than its box"));
        }
        for _ in 0..count {
            let field = &mut body[pos..pos + entry];
            let old = if wide {
                u64::from_be_bytes(field.try_into().map_err(|_| damaged("co64"))?)
            } else {
                u64::from(u32::from_be_bytes(
                    field.try_into().map_err(|_| damaged("stco"))?,
                ))
            };
            if old >= from {
                let new = old
                    .checked_add_signed(delta)
                    .ok_or_else(|| damaged("a chunk offset out of range"))?;
                if wide {
                    field.copy_from_slice(&new.to_be_bytes());
                } else {
                    let new = u32::try_from(new).map_err(|_| {
                        super::boxes::unsupported("32-bit chunk offsets past 4 GiB")
                    })?;
                    field.copy_from_slice(&new.to_be_bytes());
                }
            }
            pos += entry;
        }
    }
    Ok(())
}

/// `(wide, body start, body length)` of every `stco`/`co64` under `bytes` (a container body that starts
/// at `base` in the `moov` body).
fn collect_offset_tables(
    bytes: &[u8],
    base: usize,
    out: &mut Vec<(bool, usize, usize)>,
) -> Result<(), ReadError> {
    for child in children(bytes)? {
        let at = base + (child.body.as_ptr() as usize - bytes.as_ptr() as usize);
        match &child.kind {
            b"trak" | b"mdia" | b"minf" | b"stbl" => {
                collect_offset_tables(child.body, at, out)?;
            }
            b"stco" => out.push((false, at, child.body.len())),
            b"co64" => out.push((true, at, child.body.len())),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn recipe(value: &str) -> TextItem {
        TextItem::FreeForm {
            mean: "org.example".into(),
            name: "recipe".into(),
            value: value.into(),
        }
    }

    fn moov_with_stco(offsets: &[u32]) -> Vec<u8> {
        let mut w = Writer::default();
        let trak = w.open(b"trak");
        let mdia = w.open(b"mdia");
        let minf = w.open(b"minf");
        let stbl = w.open(b"stbl");
        let stco = w.open_full(b"stco", 0, 0);
        w.u32(offsets.len() as u32);
        for &o in offsets {
            w.u32(o);
        }
        w.close(stco);
        w.close(stbl);
        w.close(minf);
        w.close(mdia);
        w.close(trak);
        w.bytes
    }

    fn offsets(moov: &[u8]) -> Vec<u32> {
        let mut tables = Vec::new();
        collect_offset_tables(moov, 0, &mut tables).unwrap();
        let (_, at, len) = tables[0];
        moov[at + 8..at + len]
            .chunks(4)
            .map(|c| u32::from_be_bytes(c.try_into().unwrap()))
            .collect()
    }

    #[test]
    fn items_are_set_replaced_and_others_kept() {
        let moov = moov_with_stco(&[40]);
        let first = with_items(
            &moov,
            &[
                recipe("one"),
                TextItem::Standard {
                    kind: *b"\xa9too",
                    value: "encoder".into(),
                },
            ],
        )
        .unwrap();
        assert_eq!(
            free_form(&first, "org.example", "recipe")
                .unwrap()
                .as_deref(),
            Some("one")
        );
        let second = with_items(&first, &[recipe("two")]).unwrap();
        assert_eq!(
            free_form(&second, "org.example", "recipe")
                .unwrap()
                .as_deref(),
            Some("two")
        );
        // One udta, one meta, the encoder item kept, the track untouched.
        let kids = children(&second).unwrap();
        assert_eq!(kids.iter().filter(|b| &b.kind == b"udta").count(), 1);
        let udta = kids.iter().find(|b| &b.kind == b"udta").unwrap();
        assert_eq!(children(udta.body).unwrap().len(), 1);
        assert!(second.windows(4).any(|w| w == b"\xa9too"));
        assert_eq!(offsets(&second), vec![40]);
        assert_eq!(free_form(&moov, "org.example", "recipe").unwrap(), None);
        assert_eq!(free_form(&second, "org.other", "recipe").unwrap(), None);
    }

    #[test]
    fn offsets_past_the_point_move_and_overflow_is_refused() {
        let mut moov = moov_with_stco(&[10, 100, 200]);
        shift_chunk_offsets(&mut moov, 100, 37).unwrap();
        assert_eq!(offsets(&moov), vec![10, 137, 237]);
        shift_chunk_offsets(&mut moov, 0, -10).unwrap();
        assert_eq!(offsets(&moov), vec![0, 127, 227]);
        let mut near_the_top = moov_with_stco(&[u32::MAX - 1]);
        assert!(matches!(
            shift_chunk_offsets(&mut near_the_top, 0, 5),
            Err(ReadError::Unsupported(_))
        ));
    }

    #[test]
    fn text_that_is_not_text_is_an_error() {
        let tagged = with_items(&[], &[recipe("ok")]).unwrap();
        let mut broken = tagged.clone();
        let at = broken.windows(4).position(|w| w == b"data").unwrap();
        broken[at + 7] = 21; // type: a big-endian integer
        assert!(free_form(&broken, "org.example", "recipe").is_err());
        let mut not_utf8 = tagged;
        let end = not_utf8.len() - 1;
        not_utf8[end] = 0xff;
        assert!(free_form(&not_utf8, "org.example", "recipe").is_err());
    }
}
