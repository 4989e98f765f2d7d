//! The header segments of a baseline JPEG, up to the start of its (single) scan.
//!
//! Only the layouts the DC preview handles are described; anything else (progressive, arithmetic,
//! 12-bit, CMYK, Adobe-transformed colour, odd sampling) is `None`, and the caller takes the
//! general decoder instead, which also owns the error messages for broken headers.

use super::huffman::HuffmanTable;

/// Coefficients 0..10 in zigzag order hold every frequency up to 3 in either direction that the
/// subsampled-chroma preview uses.
pub(super) const LOW_COEFFICIENTS: usize = 10;

#[derive(Clone, Copy, Debug)]
pub(super) struct Component {
    pub id: u8,
    pub h: usize,
    pub v: usize,
    pub quant_table: usize,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct ScanComponent {
    /// Index into `Frame::components`.
    pub index: usize,
    pub dc_table: usize,
    pub ac_table: usize,
}

#[derive(Debug)]
pub(super) struct Frame<'a> {
    pub width: usize,
    pub height: usize,
    pub components: Vec<Component>,
    /// The first `LOW_COEFFICIENTS` entries (zigzag order) of each quantisation table: the DC and
    /// the lowest AC frequencies, all a 1/8-scale preview needs.
    pub quant: [Option<[u16; LOW_COEFFICIENTS]>; 4],
    pub dc_tables: [Option<HuffmanTable>; 4],
    pub ac_tables: [Option<HuffmanTable>; 4],
    pub restart_interval: usize,
    pub scan: Vec<ScanComponent>,
    /// Offset of the entropy-coded data of the scan.
    pub scan_start: usize,
    /// The Exif payload after `Exif\0\0`.
    pub exif: Option<&'a [u8]>,
}

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;

/// Parses from SOI to the end of the first SOS header.
pub(super) fn parse(bytes: &[u8]) -> Option<Frame<'_>> {
    if bytes.get(..2)? != [0xFF, SOI] {
        return None;
    }
    let mut frame = Frame {
        width: 0,
        height: 0,
        components: Vec::new(),
        quant: [None; 4],
        dc_tables: Default::default(),
        ac_tables: Default::default(),
        restart_interval: 0,
        scan: Vec::new(),
        scan_start: 0,
        exif: None,
    };
    let mut pos = 2;
    // Each pass consumes at least one byte, so the loop ends with the data.
    while pos < bytes.len() {
        // Stray bytes between segments are common in files from phones and editors; skip to the next
        // marker like every viewer does.
        if bytes[pos] != 0xFF {
            pos += 1;
            continue;
        }
        let marker = *bytes.get(pos + 1)?;
        pos += 2;
        match marker {
            0xFF => pos -= 1, // fill byte before a marker
            // The general decoder reads FF 00 in the headers differently; let it have this file.
            0x00 => return None,
            // A stand-alone marker has no place among the headers, and the general decoder reads it
            // differently (fuzzing found a TEM marker, `FF 01`, after which the two parsers found different
            // frame headers, so the preview passed a file the full decode refuses): let it have this file.
            SOI | 0x01 | 0xD0..=0xD7 => return None,
            EOI => return None,
            _ => {
                let len = usize::from(u16::from_be_bytes([*bytes.get(pos)?, *bytes.get(pos + 1)?]));
                let body = bytes.get(pos + 2..pos.checked_add(len)?)?;
                if len < 2 {
                    return None;
                }
                if marker == 0xDA {
                    parse_sos(body, &mut frame)?;
                    frame.scan_start = pos + len;
                    return check_complete(frame);
                }
                parse_segment(marker, body, &mut frame)?;
                pos += len;
            }
        }
    }
    None
}

fn parse_segment<'a>(marker: u8, body: &'a [u8], frame: &mut Frame<'a>) -> Option<()> {
    match marker {
        0xC0 | 0xC1 => parse_sof(body, frame),
        // Progressive, lossless, hierarchical and arithmetic-coded frames.
        0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => None,
        0xC4 => parse_dht(body, frame),
        0xDB => parse_dqt(body, frame),
        0xDD => {
            frame.restart_interval =
                usize::from(u16::from_be_bytes([*body.first()?, *body.get(1)?]));
            Some(())
        }
        0xE1 => {
            // The last Exif segment counts, as in the general decoder.
            if let Some(exif) = body.strip_prefix(b"Exif\0\0") {
                frame.exif = Some(exif);
            }
            Some(())
        }
        // An Adobe segment can mean RGB or YCCK storage; the general decoder reads its transform flag.
        0xEE if body.starts_with(b"Adobe") => None,
        _ => Some(()),
    }
}

fn parse_sof(body: &[u8], frame: &mut Frame<'_>) -> Option<()> {
    if !frame.components.is_empty() || *body.first()? != 8 {
        return None; // a second frame header, or 12-bit samples
    }
    frame.height = usize::from(u16::from_be_bytes([*body.get(1)?, *body.get(2)?]));
    frame.width = usize::from(u16::from_be_bytes([*body.get(3)?, *body.get(4)?]));
    let count = usize::from(*body.get(5)?);
    if !(count == 1 || count == 3) || body.len() != 6 + 3 * count {
        return None;
    }
    for c in body[6..].chunks_exact(3) {
        let (h, v) = (usize::from(c[1] >> 4), usize::from(c[1] & 0x0F));
        let quant_table = usize::from(c[2]);
        // Sampling factors other than powers of two are valid JPEG, but the general decoder refuses
        // them, and a preview must never accept what an upload would refuse.
        let power_of_two = |f: usize| matches!(f, 1 | 2 | 4);
        if !power_of_two(h) || !power_of_two(v) || quant_table > 3 {
            return None;
        }
        frame.components.push(Component {
            id: c[0],
            h,
            v,
            quant_table,
        });
    }
    Some(())
}

fn parse_dht(mut body: &[u8], frame: &mut Frame<'_>) -> Option<()> {
    while !body.is_empty() {
        let (class, id) = (body[0] >> 4, usize::from(body[0] & 0x0F));
        let counts: [u8; 16] = body.get(1..17)?.try_into().ok()?;
        let total: usize = counts.iter().map(|&n| usize::from(n)).sum();
        if total > 256 {
            return None; // more codes than byte-sized symbols
        }
        let values = body.get(17..17 + total)?;
        let table = HuffmanTable::new(&counts, values, class == 0)?;
        match (class, id) {
            (0, 0..=3) => frame.dc_tables[id] = Some(table),
            (1, 0..=3) => frame.ac_tables[id] = Some(table),
            _ => return None,
        }
        body = &body[17 + total..];
    }
    Some(())
}

fn parse_dqt(mut body: &[u8], frame: &mut Frame<'_>) -> Option<()> {
    while !body.is_empty() {
        let (precision, id) = (body[0] >> 4, usize::from(body[0] & 0x0F));
        let entry_bytes = match precision {
            0 => 1,
            1 => 2,
            _ => return None,
        };
        let table = body.get(1..1 + 64 * entry_bytes)?;
        let mut low = [0u16; LOW_COEFFICIENTS];
        for (k, entry) in low.iter_mut().enumerate() {
            *entry = if entry_bytes == 1 {
                u16::from(table[k])
            } else {
                u16::from_be_bytes([table[2 * k], table[2 * k + 1]])
            };
        }
        *frame.quant.get_mut(id)? = Some(low);
        body = &body[1 + 64 * entry_bytes..];
    }
    Some(())
}

fn parse_sos(body: &[u8], frame: &mut Frame<'_>) -> Option<()> {
    let count = usize::from(*body.first()?);
    if body.len() != 4 + 2 * count {
        return None;
    }
    for c in body[1..1 + 2 * count].chunks_exact(2) {
        let index = frame.components.iter().position(|comp| comp.id == c[0])?;
        frame.scan.push(ScanComponent {
            index,
            dc_table: usize::from(c[1] >> 4),
            ac_table: usize::from(c[1] & 0x0F),
        });
    }
    // Spectral selection 0..63 and no successive approximation: a sequential scan.
    let tail = &body[1 + 2 * count..];
    (tail == [0, 63, 0]).then_some(())
}

/// The preview decodes one scan holding every component, with luma at the highest sampling.
fn check_complete(frame: Frame<'_>) -> Option<Frame<'_>> {
    let first = frame.components.first()?;
    let (h_max, v_max) = frame
        .components
        .iter()
        .fold((1, 1), |(h, v), c| (h.max(c.h), v.max(c.v)));
    let blocks_per_mcu: usize = frame.components.iter().map(|c| c.h * c.v).sum();
    let in_order = frame.scan.iter().enumerate().all(|(i, s)| s.index == i);
    let tables_present = frame.scan.iter().all(|s| {
        s.dc_table < 4
            && s.ac_table < 4
            && frame.dc_tables[s.dc_table].is_some()
            && frame.ac_tables[s.ac_table].is_some()
            && frame.quant[frame.components[s.index].quant_table].is_some()
    });
    // Components named R, G, B hold RGB rather than YCbCr (e.g. `cjpeg -rgb`).
    let rgb_ids = frame.components.iter().map(|c| c.id).eq(*b"RGB");
    let usable = !rgb_ids
        && frame.width > 0
        && frame.height > 0
        && frame.scan.len() == frame.components.len()
        && in_order
        && tables_present
        && first.h == h_max
        && first.v == v_max
        && blocks_per_mcu <= 10
        && frame
            .components
            .iter()
            .all(|c| h_max % c.h == 0 && v_max % c.v == 0);
    usable.then_some(frame)
}
