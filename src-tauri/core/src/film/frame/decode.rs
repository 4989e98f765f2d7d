//! The H.264 decoder (OpenH264, see [`super`] for why) behind a small safe surface, and the conversion
//! of its 4:2:0 pictures to RGB.
//!
//! Each access unit goes in with a tag (the sample's number), and every picture that comes out carries
//! the tag of the access unit it was decoded from (`uiInBsTimeStamp` in, `uiOutYuvTimeStamp` out). With
//! B-frames the decoder holds pictures back to put them in display order, so a picture can come out
//! several calls after its own access unit; the tag, not the call, says which sample it is.

use image::RgbImage;
use openh264::decoder::{Decoder as OpenH264, DecoderConfig};
use openh264::OpenH264API;
use openh264_sys2::{
    dsErrorFree, videoFormatI420, SBufferInfo, DECODER_OPTION,
    DECODER_OPTION_NUM_OF_FRAMES_REMAINING_IN_BUFFER,
};

use super::avc::{Matrix, Sps};

pub struct Decoder {
    inner: OpenH264,
}

/// A decoded picture, borrowed from the decoder until its next call.
pub struct Picture<'a> {
    pub tag: u64,
    y: &'a [u8],
    u: &'a [u8],
    v: &'a [u8],
    y_stride: usize,
    uv_stride: usize,
    pub width: u32,
    pub height: u32,
}

impl Decoder {
    /// A single-threaded decoder without error concealment, so that damaged data is an error instead of
    /// a picture patched from its neighbours.
    pub fn new() -> Result<Self, String> {
        let inner = OpenH264::with_api_config(OpenH264API::from_source(), DecoderConfig::new())
            .map_err(|e| format!("the H.264 decoder did not start: {e}"))?;
        Ok(Self { inner })
    }

    /// Decodes one access unit (Annex B) tagged `tag`; `picture` sees whatever picture comes out.
    pub fn decode(
        &mut self,
        access_unit: &[u8],
        tag: u64,
        picture: &mut dyn FnMut(Picture<'_>),
    ) -> Result<(), String> {
        let len = i32::try_from(access_unit.len()).map_err(|_| "a sample over 2 GiB".to_owned())?;
        let mut dst = [std::ptr::null_mut::<u8>(); 3];
        let mut info = SBufferInfo {
            uiInBsTimeStamp: tag,
            ..SBufferInfo::default()
        };
        // SAFETY: the pointer and length describe `access_unit`, which outlives the call; `dst` and
        // `info` are the out-parameters the function fills. The decoder was initialised by
        // `with_api_config` and is used from one thread (`&mut self`).
        let state = unsafe {
            self.inner.raw_api().decode_frame_no_delay(
                access_unit.as_ptr(),
                len,
                dst.as_mut_ptr(),
                &raw mut info,
            )
        };
        if state != dsErrorFree {
            return Err(format!("the decoder reported state {state:#x}"));
        }
        // SAFETY: `dst` and `info` were just filled by the decoder, whose buffers stay valid until its
        // next call; `Picture` borrows `self` mutably for as long as it lives.
        if let Some(p) = unsafe { picture_from(&dst, &info) } {
            picture(p);
        }
        Ok(())
    }

    /// Takes out the pictures the decoder still holds back for reordering.
    pub fn flush(&mut self, picture: &mut dyn FnMut(Picture<'_>)) -> Result<(), String> {
        let mut left: DECODER_OPTION = 0;
        // SAFETY: the option is an int the decoder writes.
        unsafe {
            self.inner.raw_api().get_option(
                DECODER_OPTION_NUM_OF_FRAMES_REMAINING_IN_BUFFER,
                (&raw mut left).cast(),
            );
        }
        for _ in 0..left.clamp(0, 64) {
            let mut dst = [std::ptr::null_mut::<u8>(); 3];
            let mut info = SBufferInfo::default();
            // SAFETY: as in `decode`: out-parameters only.
            let state = unsafe {
                self.inner
                    .raw_api()
                    .flush_frame(dst.as_mut_ptr(), &raw mut info)
            };
            if state != dsErrorFree {
                return Err(format!(
                    "the decoder reported state {state:#x} when flushed"
                ));
            }
            // SAFETY: as in `decode`.
            match unsafe { picture_from(&dst, &info) } {
                Some(p) => picture(p),
                None => break,
            }
        }
        Ok(())
    }
}

/// The picture the decoder's out-parameters describe, if it returned one.
///
/// # Safety
/// `dst` and `info` must come from the decoder's last call, and the decoder must not be called while
/// the result lives.
unsafe fn picture_from<'a>(dst: &[*mut u8; 3], info: &SBufferInfo) -> Option<Picture<'a>> {
    if info.iBufferStatus != 1 || dst.iter().any(|p| p.is_null()) {
        return None;
    }
    // SAFETY: `sSystemBuffer` is the union's only member.
    let buffer = unsafe { info.UsrData.sSystemBuffer };
    if buffer.iFormat != videoFormatI420 {
        return None;
    }
    let width = usize::try_from(buffer.iWidth).ok()?;
    let height = usize::try_from(buffer.iHeight).ok()?;
    let y_stride = usize::try_from(buffer.iStride[0]).ok()?;
    let uv_stride = usize::try_from(buffer.iStride[1]).ok()?;
    if width == 0 || height == 0 || y_stride < width || uv_stride < width.div_ceil(2) {
        return None;
    }
    let chroma_rows = height.div_ceil(2);
    // SAFETY: OpenH264 hands out planes of `height` rows of `stride` bytes (luma) and half as many
    // rows (chroma), valid until its next call.
    let (y, u, v) = unsafe {
        (
            std::slice::from_raw_parts(dst[0], y_stride * height),
            std::slice::from_raw_parts(dst[1], uv_stride * chroma_rows),
            std::slice::from_raw_parts(dst[2], uv_stride * chroma_rows),
        )
    };
    Some(Picture {
        tag: info.uiOutYuvTimeStamp,
        y,
        u,
        v,
        y_stride,
        uv_stride,
        width: u32::try_from(width).ok()?,
        height: u32::try_from(height).ok()?,
    })
}

impl Picture<'_> {
    /// The picture in RGB, converted with the matrix and range `sps` gives (see [`Sps::matrix`]);
    /// each chroma sample covers its 2×2 block of pixels, as in ffmpeg's own conversion to RGB.
    pub fn to_rgb(&self, sps: &Sps) -> RgbImage {
        let k = Coefficients::new(sps.matrix(), sps.full_range);
        let (w, h) = (self.width as usize, self.height as usize);
        let mut out = vec![0u8; w * h * 3];
        for (row, line) in out.chunks_exact_mut(w * 3).enumerate() {
            let y_row = &self.y[row * self.y_stride..][..w];
            let u_row = &self.u[(row / 2) * self.uv_stride..];
            let v_row = &self.v[(row / 2) * self.uv_stride..];
            for (col, px) in line.chunks_exact_mut(3).enumerate() {
                let luma = k.luma * (i32::from(y_row[col]) - k.black);
                let cb = i32::from(u_row[col / 2]) - 128;
                let cr = i32::from(v_row[col / 2]) - 128;
                px[0] = clamp(luma + k.r_cr * cr);
                px[1] = clamp(luma - k.g_cb * cb - k.g_cr * cr);
                px[2] = clamp(luma + k.b_cb * cb);
            }
        }
        RgbImage::from_raw(self.width, self.height, out).unwrap_or_default()
    }
}

fn clamp(fixed: i32) -> u8 {
    ((fixed + (1 << 15)) >> 16).clamp(0, 255) as u8
}

/// YUV → RGB factors in 16.16 fixed point, the range scaling folded in.
struct Coefficients {
    black: i32,
    luma: i32,
    r_cr: i32,
    g_cb: i32,
    g_cr: i32,
    b_cb: i32,
}

impl Coefficients {
    fn new(matrix: Matrix, full_range: bool) -> Self {
        let (kr, kb) = match matrix {
            Matrix::Bt709 => (0.2126, 0.0722),
            Matrix::Bt601 => (0.299, 0.114),
            Matrix::Bt2020 => (0.2627, 0.0593),
        };
        let kg = 1.0 - kr - kb;
        // Limited ("TV") range: luma 16–235, chroma 16–240.
        let (black, luma, chroma) = if full_range {
            (0, 1.0, 1.0)
        } else {
            (16, 255.0 / 219.0, 255.0 / 224.0)
        };
        let fixed = |v: f64| (v * 65536.0).round() as i32;
        Self {
            black,
            luma: fixed(luma),
            r_cr: fixed(2.0 * (1.0 - kr) * chroma),
            g_cb: fixed(2.0 * kb * (1.0 - kb) / kg * chroma),
            g_cr: fixed(2.0 * kr * (1.0 - kr) / kg * chroma),
            b_cb: fixed(2.0 * (1.0 - kb) * chroma),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(matrix: Matrix, full_range: bool, yuv: [u8; 3]) -> [u8; 3] {
        let k = Coefficients::new(matrix, full_range);
        let luma = k.luma * (i32::from(yuv[0]) - k.black);
        let (cb, cr) = (i32::from(yuv[1]) - 128, i32::from(yuv[2]) - 128);
        [
            clamp(luma + k.r_cr * cr),
            clamp(luma - k.g_cb * cb - k.g_cr * cr),
            clamp(luma + k.b_cb * cb),
        ]
    }

    #[test]
    fn colours_convert_with_the_matrix_and_range_they_were_encoded_with() {
        // Limited-range black and white are RGB black and white in every matrix.
        for m in [Matrix::Bt709, Matrix::Bt601, Matrix::Bt2020] {
            assert_eq!(convert(m, false, [16, 128, 128]), [0, 0, 0]);
            assert_eq!(convert(m, false, [235, 128, 128]), [255, 255, 255]);
        }
        // 75% red bars as each standard encodes them (BT.709: Y 51, Cb 109, Cr 212; BT.601: Y 65,
        // Cb 100, Cr 212) come back as 191, 0, 0 (±1).
        let near = |got: [u8; 3], want: [u8; 3]| {
            got.iter()
                .zip(want)
                .all(|(&g, w)| (i32::from(g) - i32::from(w)).abs() <= 1)
        };
        let red709 = convert(Matrix::Bt709, false, [51, 109, 212]);
        assert!(near(red709, [191, 0, 0]), "{red709:?}");
        let red601 = convert(Matrix::Bt601, false, [65, 100, 212]);
        assert!(near(red601, [191, 0, 0]), "{red601:?}");
        // The wrong matrix gives a visibly different red.
        let wrong = convert(Matrix::Bt601, false, [51, 109, 212]);
        assert!(!near(wrong, [191, 0, 0]), "{wrong:?}");
        // Full range: 0 and 255 are the ends.
        assert_eq!(
            convert(Matrix::Bt709, true, [255, 128, 128]),
            [255, 255, 255]
        );
        assert_eq!(convert(Matrix::Bt709, true, [0, 128, 128]), [0, 0, 0]);
    }
}
