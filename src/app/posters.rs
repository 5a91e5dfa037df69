//! Productions' posters: an upload is taken for what its bytes are (JPEG, PNG or WebP, never
//! its name), decoded within limits, and kept as JPEG copies at the widths pages ask for. The
//! copies are made from the pixels alone, so no metadata (camera, place, time) survives, and
//! they are named by their content, so a name never changes meaning and can be cached forever.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use super::Error;
use crate::db::{DbConnection, productions};
use crate::domain::Invalid;

/// The widths kept, in pixels: a phone, a phone at 2×, a laptop.
pub const WIDTHS: [u32; 3] = [320, 640, 1280];
/// Larger than any poster needs, small enough to decode without fear.
const MAX_SIDE: u32 = 8_000;
const QUALITY: u8 = 82;

/// A poster's copies, ready to write: its name and a JPEG per width.
pub struct Poster {
    pub name: String,
    pub copies: Vec<(u32, Vec<u8>)>,
    /// The height of the widest copy, for the page's `width`/`height` (no layout shift).
    pub aspect: (u32, u32),
}

/// Why an upload is not a poster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// No file at all.
    Missing,
    TooLarge,
    /// Its bytes are not JPEG, PNG or WebP, whatever its name says.
    NotAnImage,
    /// It says it is one, but cannot be decoded (damaged, or too many pixels).
    Unreadable,
}

impl From<Refused> for Invalid {
    fn from(refused: Refused) -> Invalid {
        let message = match refused {
            Refused::Missing => "choose an image file".to_owned(),
            Refused::TooLarge => "the file is too large".to_owned(),
            Refused::NotAnImage => "the file is not a JPEG, PNG or WebP image".to_owned(),
            Refused::Unreadable => {
                format!("the image cannot be read (damaged, or over {MAX_SIDE} px a side)")
            }
        };
        Invalid::new("poster", message)
    }
}

/// Checks and converts an upload of at most `max_bytes`.
pub fn prepare(upload: &[u8], max_bytes: usize) -> Result<Poster, Refused> {
    if upload.is_empty() {
        return Err(Refused::Missing);
    }
    if upload.len() > max_bytes {
        return Err(Refused::TooLarge);
    }
    let format = image::guess_format(upload).map_err(|_| Refused::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(Refused::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| Refused::Unreadable)?;
    Ok(copies_of(&image))
}

/// The copies of an image already in memory (the demo draws its own).
pub fn copies_of(image: &DynamicImage) -> Poster {
    let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
    let copies: Vec<(u32, Vec<u8>)> = WIDTHS
        .iter()
        .map(|&width| {
            // Never enlarged: a narrow upload is kept at its own width under each name.
            let copy = if rgb.width() > width {
                let height = (u64::from(rgb.height()) * u64::from(width) / u64::from(rgb.width()))
                    .max(1) as u32;
                rgb.resize_exact(width, height, FilterType::Triangle)
            } else {
                rgb.clone()
            };
            let mut jpeg = Vec::new();
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, QUALITY);
            copy.write_with_encoder(encoder).expect("JPEG into memory");
            (width, jpeg)
        })
        .collect();
    let mut hash = Sha256::new();
    for (_, jpeg) in &copies {
        hash.update(jpeg);
    }
    let name = data_encoding::HEXLOWER.encode(&hash.finalize()[..10]);
    Poster {
        name,
        copies,
        aspect: (rgb.width(), rgb.height()),
    }
}

/// Whether `name` is a poster's name as [`prepare`] makes them (20 lower-case hex digits).
pub fn is_name(name: &str) -> bool {
    name.len() == 20
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where the copy of `name` at `width` is kept.
pub fn path_of(dir: &Path, name: &str, width: u32) -> PathBuf {
    dir.join(format!("{name}-{width}.jpg"))
}

/// Writes the copies under `dir` (each to a temporary name first, then renamed, so that no
/// reader sees half a file) and gives the production the poster. The files come first: a
/// poster in the database always has its copies.
pub fn attach(
    conn: &mut DbConnection,
    dir: &Path,
    production_id: i32,
    poster: &Poster,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    productions::find(conn, production_id)?.ok_or(Error::NotFound("production"))?;
    std::fs::create_dir_all(dir).map_err(Error::internal)?;
    for (width, jpeg) in &poster.copies {
        let path = path_of(dir, &poster.name, *width);
        let partial = path.with_extension("partial");
        std::fs::write(&partial, jpeg).map_err(Error::internal)?;
        std::fs::rename(&partial, &path).map_err(Error::internal)?;
    }
    productions::set_poster(conn, production_id, &poster.name, now)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = RgbImage::from_fn(width, height, |x, y| {
            Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut bytes = Vec::new();
        DynamicImage::ImageRgb8(image)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn an_upload_becomes_jpeg_copies_at_each_width_never_enlarged() {
        let poster = prepare(&png(1600, 2400), 10 << 20).unwrap();
        let widths: Vec<(u32, u32)> = poster
            .copies
            .iter()
            .map(|(_, jpeg)| {
                let copy = image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).unwrap();
                (copy.width(), copy.height())
            })
            .collect();
        assert_eq!(widths, [(320, 480), (640, 960), (1280, 1920)]);
        assert!(is_name(&poster.name));
        let narrow = prepare(&png(500, 700), 10 << 20).unwrap();
        let last = image::load_from_memory(&narrow.copies[2].1).unwrap();
        assert_eq!(last.width(), 500, "a narrow poster is not blown up");
    }

    #[test]
    fn text_a_damaged_image_and_an_oversized_file_are_refused() {
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>";
        assert_eq!(prepare(svg, 10 << 20).err(), Some(Refused::NotAnImage));
        let mut damaged = png(64, 64);
        damaged.truncate(60);
        assert_eq!(prepare(&damaged, 10 << 20).err(), Some(Refused::Unreadable));
        assert_eq!(prepare(&png(64, 64), 100).err(), Some(Refused::TooLarge));
        assert_eq!(prepare(b"", 100).err(), Some(Refused::Missing));
    }
}
