//! What a track's sample description says about its stream, reduced to what decides whether two clips
//! can share one track without re-encoding: the codec, the picture size, and the decoder configuration
//! (H.264's `avcC` with its SPS and PPS, AAC's AudioSpecificConfig). Bitrate boxes (`btrt`, the bitrate
//! fields of `esds`) differ between any two encodes and are deliberately left out of the comparison.

use super::bits::Bits;
use super::boxes::{children, damaged, fourcc, unsupported, ReadError, Reader};

#[derive(Clone, Debug, PartialEq)]
pub enum Codec {
    Video {
        fourcc: [u8; 4],
        width: u16,
        height: u16,
        /// The whole decoder configuration box (`avcC`, `hvcC`…), empty when there is none.
        config: Vec<u8>,
    },
    Audio {
        fourcc: [u8; 4],
        channels: u16,
        sample_rate: u32,
        /// The MPEG-4 object type and decoder specific info from `esds`, or another codec's config box.
        config: Vec<u8>,
    },
}

impl Codec {
    /// Reads the single sample entry of an `stsd` body.
    pub fn parse(stsd_body: &[u8], handler: [u8; 4]) -> Result<Self, ReadError> {
        let mut r = Reader::new(stsd_body);
        r.u32()?;
        let entries = r.u32()?;
        if entries != 1 {
            return Err(unsupported(format!(
                "{entries} sample descriptions in one track"
            )));
        }
        let entry = children(r.rest())?
            .into_iter()
            .next()
            .ok_or_else(|| damaged("an empty sample description"))?;
        let mut r = Reader::new(entry.body);
        r.take(8)?; // reserved, data reference index
        match &handler {
            b"vide" => {
                r.take(16)?;
                let width = r.u16()?;
                let height = r.u16()?;
                r.take(50)?;
                let config = children(r.rest())?
                    .into_iter()
                    .find(|b| matches!(&b.kind, b"avcC" | b"hvcC" | b"av1C" | b"vpcC"))
                    .map(|b| b.whole.to_vec())
                    .unwrap_or_default();
                Ok(Self::Video {
                    fourcc: entry.kind,
                    width,
                    height,
                    config,
                })
            }
            b"soun" => {
                let version = r.u16()?;
                r.take(6)?;
                let channels = r.u16()?;
                r.take(6)?;
                let sample_rate = r.u32()? >> 16;
                // QuickTime sound descriptions carry more fields before their boxes.
                match version {
                    0 => {}
                    1 => drop(r.take(16)?),
                    2 => drop(r.take(36)?),
                    v => return Err(unsupported(format!("sound description version {v}"))),
                }
                let boxes = children(r.rest())?;
                let config = match boxes.iter().find(|b| &b.kind == b"esds") {
                    Some(esds) => decoder_config(esds.body)?,
                    None => boxes.first().map(|b| b.whole.to_vec()).unwrap_or_default(),
                };
                Ok(Self::Audio {
                    fourcc: entry.kind,
                    channels,
                    sample_rate,
                    config,
                })
            }
            other => Err(unsupported(format!("a {} track", fourcc(*other)))),
        }
    }

    /// A short technical name for messages: "H.264 High 4.0", "AAC-LC 48000 Hz 2 ch".
    pub fn describe(&self) -> String {
        match self {
            Self::Video {
                fourcc: f, config, ..
            } => match (f, config.get(8..12)) {
                (b"avc1" | b"avc3", Some(&[_, profile, _, level])) => {
                    format!(
                        "H.264 {} {}.{}",
                        avc_profile(profile),
                        level / 10,
                        level % 10
                    )
                }
                (b"hvc1" | b"hev1", _) => "H.265".to_owned(),
                _ => fourcc(*f),
            },
            Self::Audio {
                fourcc: f,
                channels,
                sample_rate,
                config,
            } => {
                // For AAC the AudioSpecificConfig is what the decoder follows; the sample entry's
                // channel count says 2 even for mono files written by ffmpeg.
                if let (b"mp4a", [0x40, asc @ ..]) = (f, config.as_slice()) {
                    if let Some(aac) = AacConfig::parse(asc) {
                        let name = match aac.object_type {
                            2 => "AAC-LC".to_owned(),
                            5 => "HE-AAC".to_owned(),
                            29 => "HE-AACv2".to_owned(),
                            t => format!("AAC (object type {t})"),
                        };
                        let rate = aac.sample_rate.unwrap_or(*sample_rate);
                        let channels = aac.channels.map_or(*channels, u16::from);
                        return format!("{name} {rate} Hz {channels} ch");
                    }
                }
                let name = match (f, config.as_slice()) {
                    (b"mp4a", [0x6b | 0x69, ..]) => "MP3".to_owned(),
                    _ => fourcc(*f),
                };
                format!("{name} {sample_rate} Hz {channels} ch")
            }
        }
    }
}

/// The start of an MPEG-4 AudioSpecificConfig: object type, sampling rate, channel configuration.
struct AacConfig {
    object_type: u32,
    /// `None` for an index the table lacks.
    sample_rate: Option<u32>,
    /// `None` when the channels are described by a program config element (channel configuration 0).
    channels: Option<u8>,
}

impl AacConfig {
    fn parse(asc: &[u8]) -> Option<Self> {
        const RATES: [u32; 13] = [
            96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
        ];
        let mut bits = Bits::new(asc);
        let mut object_type = bits.take(5)?;
        if object_type == 31 {
            object_type = 32 + bits.take(6)?;
        }
        let index = bits.take(4)?;
        let sample_rate = if index == 15 {
            Some(bits.take(24)?)
        } else {
            RATES.get(index as usize).copied()
        };
        let channels = match bits.take(4)? {
            0 => None,
            7 => Some(8),
            n => Some(n as u8),
        };
        Some(Self {
            object_type,
            sample_rate,
            channels,
        })
    }
}

fn avc_profile(idc: u8) -> String {
    match idc {
        66 => "Baseline".to_owned(),
        77 => "Main".to_owned(),
        88 => "Extended".to_owned(),
        100 => "High".to_owned(),
        110 => "High 10".to_owned(),
        122 => "High 4:2:2".to_owned(),
        244 => "High 4:4:4".to_owned(),
        n => format!("profile {n}"),
    }
}

/// From an `esds` body: the object type indication followed by the decoder specific info (for AAC, the
/// AudioSpecificConfig), skipping the buffer size and bitrates.
fn decoder_config(esds: &[u8]) -> Result<Vec<u8>, ReadError> {
    let mut r = Reader::new(esds);
    r.u32()?;
    let (tag, len) = descriptor(&mut r)?;
    if tag != 3 {
        return Err(damaged("esds without an ES descriptor"));
    }
    let mut es = Reader::new(r.take(len)?);
    es.u16()?;
    let flags = es.u8()?;
    if flags & 0x80 != 0 {
        es.u16()?;
    }
    if flags & 0x40 != 0 {
        let url_len = es.u8()?;
        es.take(usize::from(url_len))?;
    }
    if flags & 0x20 != 0 {
        es.u16()?;
    }
    let (tag, len) = descriptor(&mut es)?;
    if tag != 4 {
        return Err(damaged("esds without a decoder config descriptor"));
    }
    let mut dc = Reader::new(es.take(len)?);
    let object_type = dc.u8()?;
    dc.take(12)?;
    let mut out = vec![object_type];
    if let Ok((5, len)) = descriptor(&mut dc) {
        out.extend_from_slice(dc.take(len)?);
    }
    Ok(out)
}

/// An MPEG-4 descriptor's tag and length (the length in up to four 7-bit groups).
fn descriptor(r: &mut Reader) -> Result<(u8, usize), ReadError> {
    let tag = r.u8()?;
    let mut len = 0usize;
    for _ in 0..4 {
        let b = r.u8()?;
        len = (len << 7) | usize::from(b & 0x7f);
        if b & 0x80 == 0 {
            break;
        }
    }
    Ok((tag, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aac_configs_name_their_rate_and_channels() {
        let audio = |asc: &[u8]| Codec::Audio {
            fourcc: *b"mp4a",
            channels: 2,
            sample_rate: 48000,
            config: [&[0x40][..], asc].concat(),
        };
        // AAC-LC, 48 kHz (index 3), stereo; 44.1 kHz (index 4) mono.
        assert_eq!(audio(&[0x11, 0x90]).describe(), "AAC-LC 48000 Hz 2 ch");
        assert_eq!(audio(&[0x12, 0x08]).describe(), "AAC-LC 44100 Hz 1 ch");
        // Cut short: the sample entry's own figures.
        assert_eq!(audio(&[0x11]).describe(), "mp4a 48000 Hz 2 ch");
    }
}
