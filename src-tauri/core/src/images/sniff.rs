//! Tells what a file really is from its first bytes. The extension is never trusted: users rename
//! files, and browsers save WebP as `.jpg`.

use image::ImageFormat;

/// What the leading bytes say the file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sniffed {
    /// A format the model accepts and we can decode.
    Accepted(ImageFormat),
    /// A recognised image or document format we will not take (the name is for the message).
    Refused(&'static str),
    /// Nothing we recognise.
    Unknown,
}

/// The formats §4 of the API notes lists that the `image` crate can decode here.
pub(crate) fn accepted_name(format: ImageFormat) -> Option<&'static str> {
    Some(match format {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Png => "PNG",
        ImageFormat::WebP => "WebP",
        ImageFormat::Bmp => "BMP",
        ImageFormat::Tiff => "TIFF",
        ImageFormat::Gif => "GIF",
        _ => return None,
    })
}

pub(crate) fn sniff(bytes: &[u8]) -> Sniffed {
    // ISO-BMFF containers (HEIC, AVIF) are checked first: `image` would call every `ftypavif` AVIF
    // but knows nothing of HEIC, and both need the same advice (convert to JPEG/PNG).
    if let Some(name) = iso_bmff_image(bytes) {
        return Sniffed::Refused(name);
    }
    if let Ok(format) = image::guess_format(bytes) {
        return match accepted_name(format) {
            Some(_) => Sniffed::Accepted(format),
            None => Sniffed::Refused(foreign_name(format)),
        };
    }
    if bytes.starts_with(b"%PDF-") {
        return Sniffed::Refused("PDF");
    }
    if bytes.starts_with(b"8BPS") {
        return Sniffed::Refused("Photoshop (PSD)");
    }
    if bytes.starts_with(&[0xFF, 0x0A]) || bytes.starts_with(b"\0\0\0\x0CJXL \r\n\x87\n") {
        return Sniffed::Refused("JPEG XL");
    }
    if looks_like_svg(bytes) {
        return Sniffed::Refused("SVG");
    }
    Sniffed::Unknown
}

fn foreign_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Avif => "AVIF",
        ImageFormat::Ico => "ICO",
        ImageFormat::Pnm => "PNM",
        ImageFormat::Tga => "TGA",
        ImageFormat::Dds => "DDS",
        ImageFormat::Hdr => "Radiance HDR",
        ImageFormat::OpenExr => "OpenEXR",
        ImageFormat::Farbfeld => "Farbfeld",
        ImageFormat::Qoi => "QOI",
        _ => "this",
    }
}

/// HEIC/HEIF/AVIF: `....ftyp<major><minor><compatible brands...>`.
fn iso_bmff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() < 16 || &bytes[4..8] != b"ftyp" {
        return None;
    }
    let box_len = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let end = box_len.clamp(16, 256).min(bytes.len());
    // Major brand at 8..12, minor version at 12..16, compatible brands after.
    let brands: Vec<&[u8]> = std::iter::once(&bytes[8..12])
        .chain(bytes[16..end].chunks_exact(4))
        .collect();
    if brands.iter().any(|b| matches!(*b, b"avif" | b"avis")) {
        return Some("AVIF");
    }
    let heif = [
        &b"heic"[..],
        b"heix",
        b"hevc",
        b"hevx",
        b"heim",
        b"heis",
        b"mif1",
        b"msf1",
    ];
    if brands.iter().any(|b| heif.contains(b)) {
        return Some("HEIC/HEIF");
    }
    None
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    (text.starts_with("<?xml") || text.starts_with("<svg") || text.starts_with("<!doctype svg"))
        && text.contains("<svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_heic_avif_svg_pdf() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert_eq!(sniff(heic), Sniffed::Refused("HEIC/HEIF"));
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
        assert_eq!(sniff(avif), Sniffed::Refused("AVIF"));
        let mif1_avif = b"\0\0\0\x1cftypmif1\0\0\0\0mif1avifmiaf";
        assert_eq!(sniff(mif1_avif), Sniffed::Refused("AVIF"));
        assert_eq!(
            sniff(b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n<svg xmlns=\"x\"/>"),
            Sniffed::Refused("SVG")
        );
        assert_eq!(sniff(b"<svg width=\"10\"></svg>"), Sniffed::Refused("SVG"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Refused("PDF"));
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><html/>"), Sniffed::Unknown);
        assert_eq!(sniff(b"hello, world"), Sniffed::Unknown);
        assert_eq!(sniff(b""), Sniffed::Unknown);
        // An MP4 is ISO-BMFF too but not an image.
        assert_eq!(
            sniff(b"\0\0\0\x18ftypisom\0\0\0\0isomavc1"),
            Sniffed::Unknown
        );
    }

    #[test]
    fn accepts_the_six_formats_by_magic() {
        assert_eq!(
            sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0"),
            Sniffed::Accepted(ImageFormat::Jpeg)
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"),
            Sniffed::Accepted(ImageFormat::Png)
        );
        assert_eq!(
            sniff(b"GIF89a\x01\0\x01\0"),
            Sniffed::Accepted(ImageFormat::Gif)
        );
        assert_eq!(
            sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Sniffed::Accepted(ImageFormat::WebP)
        );
        assert_eq!(
            sniff(b"BM\0\0\0\0\0\0\0\0"),
            Sniffed::Accepted(ImageFormat::Bmp)
        );
        assert_eq!(
            sniff(b"II*\0\x08\0\0\0"),
            Sniffed::Accepted(ImageFormat::Tiff)
        );
        assert_eq!(
            sniff(b"MM\0*\0\0\0\x08"),
            Sniffed::Accepted(ImageFormat::Tiff)
        );
    }
}
