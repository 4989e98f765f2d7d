//! The H.264 side of an MP4 video track, the little frame extraction needs before the decoder: the
//! decoder configuration (`avcC`: NAL length size, SPS and PPS), the colour facts of the sequence
//! parameter set (chroma format, bit depth, range, matrix, cropped size), and samples turned from
//! MP4's length-prefixed NAL units into the Annex B stream the decoder reads, telling whether a sample
//! is a reference picture (one that later pictures may predict from).

use crate::film::bits::Bits;

/// `avcC`, read from the whole box as the track's sample description holds it.
#[derive(Debug)]
pub struct AvcConfig {
    /// Bytes in front of each NAL unit in a sample (1, 2 or 4).
    pub length_size: usize,
    /// SPS and PPS, each with an Annex B start code in front.
    pub parameter_sets: Vec<u8>,
    pub sps: Sps,
}

impl AvcConfig {
    pub fn parse(whole_box: &[u8]) -> Result<Self, String> {
        let body = whole_box.get(8..).ok_or("a cut-off avcC box")?;
        let short = || "a cut-off avcC box".to_owned();
        let length_size = usize::from(body.get(4).ok_or_else(short)? & 3) + 1;
        if length_size == 3 {
            return Err("a NAL length size of 3 bytes".into());
        }
        let mut at = 5;
        let mut parameter_sets = Vec::new();
        let mut first_sps = None;
        for kind in ["SPS", "PPS"] {
            let mask = if kind == "SPS" { 0x1f } else { 0xff };
            let count = body.get(at).ok_or_else(short)? & mask;
            at += 1;
            for _ in 0..count {
                let len = usize::from(u16::from_be_bytes([
                    *body.get(at).ok_or_else(short)?,
                    *body.get(at + 1).ok_or_else(short)?,
                ]));
                let nal = body.get(at + 2..at + 2 + len).ok_or_else(short)?;
                at += 2 + len;
                if kind == "SPS" && first_sps.is_none() {
                    first_sps = Some(nal);
                }
                parameter_sets.extend_from_slice(&[0, 0, 0, 1]);
                parameter_sets.extend_from_slice(nal);
            }
        }
        let sps = Sps::parse(first_sps.ok_or("no SPS in avcC")?)?;
        Ok(Self {
            length_size,
            parameter_sets,
            sps,
        })
    }

    /// Appends `sample` to `out` as Annex B (a start code before each NAL unit) and tells what kind of
    /// picture it holds. A NAL length that runs past the sample is damage.
    pub fn to_annex_b(&self, sample: &[u8], out: &mut Vec<u8>) -> Result<SampleKind, String> {
        let mut rest = sample;
        let mut kind = SampleKind::default();
        while !rest.is_empty() {
            let head = rest
                .get(..self.length_size)
                .ok_or("a NAL length cut off at the end of a sample")?;
            let len = head.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b));
            let nal = rest
                .get(self.length_size..self.length_size + len)
                .ok_or_else(|| format!("a NAL unit of {len} bytes runs past its sample"))?;
            if let Some(&header) = nal.first() {
                // Coded slices (1) and IDR slices (5); parameter sets and SEI do not decide it.
                if matches!(header & 0x1f, 1 | 5) && header & 0x60 != 0 {
                    kind.reference = true;
                }
                if header & 0x1f == 5 {
                    kind.idr = true;
                }
            }
            out.extend_from_slice(&[0, 0, 0, 1]);
            out.extend_from_slice(nal);
            rest = &rest[self.length_size + len..];
        }
        Ok(kind)
    }
}

/// What a sample's slices say about its picture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SampleKind {
    /// A reference picture: one that later pictures may predict from (a slice with `nal_ref_idc` ≠ 0).
    pub reference: bool,
    /// An IDR picture (slice type 5): nothing after it refers to anything before it, so decoding can
    /// start here. A sync sample of an open GOP is an I picture that is not an IDR.
    pub idr: bool,
}

/// What the matrix of the YUV → RGB conversion is (ITU-T H.273 `matrix_coefficients`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matrix {
    Bt709,
    Bt601,
    Bt2020,
}

/// The facts of a sequence parameter set that decide how decoded pictures become RGB.
#[derive(Clone, Debug, PartialEq)]
pub struct Sps {
    pub chroma_format: u32,
    pub bit_depth: u32,
    pub full_range: bool,
    /// `matrix_coefficients` when the stream says one (VUI colour description), else `None`.
    pub matrix_coefficients: Option<u8>,
    /// The displayed size: coded macroblocks less the cropping.
    pub width: u32,
    pub height: u32,
}

impl Sps {
    /// The matrix to convert with: what the stream says (1 → BT.709; 5, 6 → BT.601; 9, 10 → BT.2020);
    /// when it says nothing or "unspecified", BT.709 for HD pictures (720 lines and up) and BT.601 for
    /// SD ones, as players and ffmpeg's `scale` filter guess.
    pub fn matrix(&self) -> Matrix {
        match self.matrix_coefficients {
            Some(1) => Matrix::Bt709,
            Some(5 | 6) => Matrix::Bt601,
            Some(9 | 10) => Matrix::Bt2020,
            _ if self.height >= 720 || self.width >= 1280 => Matrix::Bt709,
            _ => Matrix::Bt601,
        }
    }

    /// Reads an SPS NAL unit (header byte included) up to the VUI colour description.
    pub fn parse(nal: &[u8]) -> Result<Self, String> {
        let rbsp = unescape(nal.get(1..).unwrap_or_default());
        read_sps(&mut Bits::new(&rbsp)).ok_or_else(|| "a damaged SPS".to_owned())
    }
}

/// The RBSP of a NAL unit: every `00 00 03` loses its `03` (emulation prevention).
fn unescape(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut zeros = 0;
    for &b in bytes {
        if zeros >= 2 && b == 3 {
            zeros = 0;
            continue;
        }
        zeros = if b == 0 { zeros + 1 } else { 0 };
        out.push(b);
    }
    out
}

fn read_sps(bits: &mut Bits) -> Option<Sps> {
    let profile = bits.take(8)?;
    bits.take(16)?; // constraint flags, level
    bits.ue()?; // seq_parameter_set_id
    let (mut chroma_format, mut bit_depth) = (1, 8);
    if matches!(
        profile,
        100 | 110 | 122 | 244 | 44 | 83 | 86 | 118 | 128 | 138 | 139 | 134 | 135
    ) {
        chroma_format = bits.ue()?;
        if chroma_format == 3 {
            bits.flag()?; // separate_colour_plane_flag
        }
        bit_depth = bits.ue()?.checked_add(8)?;
        bits.ue()?; // chroma bit depth
        bits.flag()?; // qpprime_y_zero_transform_bypass_flag
        if bits.flag()? {
            for i in 0..if chroma_format == 3 { 12 } else { 8 } {
                if bits.flag()? {
                    skip_scaling_list(bits, if i < 6 { 16 } else { 64 })?;
                }
            }
        }
    }
    bits.ue()?; // log2_max_frame_num_minus4
    match bits.ue()? {
        0 => drop(bits.ue()?),
        1 => {
            bits.flag()?;
            bits.se()?;
            bits.se()?;
            let cycle = bits.ue()?;
            if cycle > 255 {
                return None;
            }
            for _ in 0..cycle {
                bits.se()?;
            }
        }
        2 => {}
        _ => return None,
    }
    bits.ue()?; // max_num_ref_frames
    bits.flag()?; // gaps_in_frame_num_value_allowed_flag
    let width_mbs = bits.ue()?.checked_add(1)?;
    let height_units = bits.ue()?.checked_add(1)?;
    let frame_mbs_only = bits.flag()?;
    if !frame_mbs_only {
        bits.flag()?;
    }
    bits.flag()?; // direct_8x8_inference_flag
    let mut crop = [0u32; 4];
    if bits.flag()? {
        for c in &mut crop {
            *c = bits.ue()?;
        }
    }
    let (crop_x, crop_y) = match chroma_format {
        0 | 3 => (1, 1),
        2 => (2, 1),
        _ => (2, 2),
    };
    let crop_y = crop_y * if frame_mbs_only { 1 } else { 2 };
    let coded_height = height_units
        .checked_mul(16)?
        .checked_mul(if frame_mbs_only { 1 } else { 2 })?;
    let width = width_mbs
        .checked_mul(16)?
        .checked_sub(crop_x * crop[0].checked_add(crop[1])?)?;
    let height = coded_height.checked_sub(crop_y * crop[2].checked_add(crop[3])?)?;
    let (mut full_range, mut matrix_coefficients) = (false, None);
    if bits.flag()? {
        if bits.flag()? && bits.take(8)? == 255 {
            bits.take(32)?; // sar_width, sar_height
        }
        if bits.flag()? {
            bits.flag()?; // overscan_appropriate_flag
        }
        if bits.flag()? {
            bits.take(3)?; // video_format
            full_range = bits.flag()?;
            if bits.flag()? {
                bits.take(16)?; // colour_primaries, transfer_characteristics
                matrix_coefficients = Some(bits.take(8)? as u8);
            }
        }
    }
    Some(Sps {
        chroma_format,
        bit_depth,
        full_range,
        matrix_coefficients,
        width,
        height,
    })
}

fn skip_scaling_list(bits: &mut Bits, size: usize) -> Option<()> {
    let (mut last, mut next) = (8i32, 8i32);
    for _ in 0..size {
        if next != 0 {
            next = (last + bits.se()? + 256).rem_euclid(256);
        }
        if next != 0 {
            last = next;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The SPS x264 writes for 1920×1080 High profile with a BT.709 colour description
    /// (`ffmpeg -colorspace bt709`): 68 macroblocks high, cropped by 8 lines.
    const SPS_1080P_BT709: &[u8] = &[
        0x67, 0x64, 0x00, 0x28, 0xac, 0xd9, 0x40, 0x78, 0x02, 0x27, 0xe5, 0xc0, 0x5a, 0x80, 0x80,
        0x80, 0xa0, 0x00, 0x00, 0x03, 0x00, 0x20, 0x00, 0x00, 0x07, 0x81, 0xe3, 0x06, 0x32, 0xc0,
    ];
    /// 650×362 High profile without a colour description (cropped on both axes).
    const SPS_650X362: &[u8] = &[
        0x67, 0x64, 0x00, 0x1e, 0xac, 0xd9, 0x40, 0xa4, 0x2f, 0xe4, 0x93, 0x01, 0x10, 0x00, 0x00,
        0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0xc0, 0xf1, 0x62, 0xd9, 0x60,
    ];

    #[test]
    fn the_sps_gives_the_cropped_size_and_the_matrix() {
        let hd = Sps::parse(SPS_1080P_BT709).unwrap();
        assert_eq!((hd.width, hd.height), (1920, 1080));
        assert_eq!(
            (hd.chroma_format, hd.bit_depth, hd.full_range),
            (1, 8, false)
        );
        assert_eq!(hd.matrix_coefficients, Some(1));
        assert_eq!(hd.matrix(), Matrix::Bt709);

        let sd = Sps::parse(SPS_650X362).unwrap();
        assert_eq!((sd.width, sd.height), (650, 362));
        assert_eq!(sd.matrix_coefficients, None);
        assert_eq!(sd.matrix(), Matrix::Bt601, "unspecified SD is BT.601");
        let unspecified_hd = Sps {
            matrix_coefficients: Some(2),
            ..hd.clone()
        };
        assert_eq!(
            unspecified_hd.matrix(),
            Matrix::Bt709,
            "unspecified HD is BT.709"
        );
        let tagged_601 = Sps {
            matrix_coefficients: Some(6),
            ..hd
        };
        assert_eq!(tagged_601.matrix(), Matrix::Bt601, "the stream's word wins");

        // Every cut-off SPS is an error, never a panic.
        for end in 1..SPS_650X362.len() - 3 {
            let _ = Sps::parse(&SPS_650X362[..end]);
        }
        assert!(Sps::parse(&SPS_650X362[..8]).is_err());
    }

    #[test]
    fn annex_b_conversion_marks_reference_pictures_and_refuses_overruns() {
        let config = AvcConfig {
            length_size: 4,
            parameter_sets: Vec::new(),
            sps: Sps::parse(SPS_1080P_BT709).unwrap(),
        };
        // An SEI (6) and a non-reference slice (nal_ref_idc 0, type 1).
        let b_frame = [0, 0, 0, 2, 0x06, 0xff, 0, 0, 0, 2, 0x01, 0xaa];
        let mut out = Vec::new();
        let kind = |reference, idr| SampleKind { reference, idr };
        assert_eq!(
            config.to_annex_b(&b_frame, &mut out).unwrap(),
            kind(false, false)
        );
        assert_eq!(out, [0, 0, 0, 1, 0x06, 0xff, 0, 0, 0, 1, 0x01, 0xaa]);
        // A reference slice (nal_ref_idc 2), then an IDR slice (type 5) behind an SEI.
        assert_eq!(
            config.to_annex_b(&[0, 0, 0, 1, 0x41], &mut out).unwrap(),
            kind(true, false)
        );
        assert_eq!(
            config
                .to_annex_b(&[0, 0, 0, 1, 0x06, 0, 0, 0, 1, 0x65], &mut out)
                .unwrap(),
            kind(true, true)
        );
        assert!(config.to_annex_b(&[0, 0, 0, 9, 0x41], &mut out).is_err());
        assert!(config.to_annex_b(&[0, 0, 1], &mut out).is_err());
    }

    #[test]
    fn unescaping_drops_emulation_prevention_bytes() {
        assert_eq!(
            unescape(&[0, 0, 3, 1, 0, 0, 3, 0, 3]),
            [0, 0, 1, 0, 0, 0, 3]
        );
    }
}
