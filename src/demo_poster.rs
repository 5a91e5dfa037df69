//! The demo production's poster, drawn here rather than taken from anywhere: the company's
//! red at dusk over the Zailiysky Alatau, with the lit windows of the city below. It carries no
//! lettering (the pages set the title beside it).

use image::{DynamicImage, Rgb, RgbImage};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 1810;

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

/// The ridge's height above the city line at `x` (0..1): a few overlapping waves.
fn ridge(x: f32, seed: f32) -> f32 {
    let waves = (x * 7.0 + seed).sin() * 0.35
        + (x * 13.0 + seed * 2.0).sin() * 0.2
        + (x * 29.0 + seed * 3.0).sin() * 0.08;
    0.5 + waves * 0.5
}

/// Whether the window at (column, row) of the city is lit: a fixed scatter.
fn lit(column: u32, row: u32) -> bool {
    let n = column.wrapping_mul(73_856_093) ^ row.wrapping_mul(19_349_663);
    n.wrapping_mul(2_654_435_761) % 9 < 2
}

pub fn draw() -> DynamicImage {
    let (sky_top, sky_bottom) = ([43.0, 10.0, 16.0], [138.0, 28.0, 43.0]);
    let far = [92.0, 40.0, 60.0];
    let near = [40.0, 18.0, 30.0];
    let snow = [236.0, 228.0, 232.0];
    let city = [22.0, 10.0, 16.0];
    let window = [242.0, 180.0, 0.0];
    let horizon = HEIGHT as f32 * 0.72;
    let moon = (
        WIDTH as f32 * 0.7,
        HEIGHT as f32 * 0.22,
        WIDTH as f32 * 0.09,
    );
    let image = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let (fx, fy) = (x as f32 / WIDTH as f32, y as f32);
        let mut colour = mix(sky_top, sky_bottom, fy / horizon);
        let (dx, dy) = (x as f32 - moon.0, fy - moon.1);
        if dx * dx + dy * dy < moon.2 * moon.2 {
            colour = [246.0, 214.0, 160.0];
        }
        let far_top = horizon - ridge(fx, 1.3) * HEIGHT as f32 * 0.30;
        let near_top = horizon - ridge(fx, 4.1) * HEIGHT as f32 * 0.16;
        if fy > far_top {
            colour = if fy < far_top + 36.0 && far_top < horizon - HEIGHT as f32 * 0.17 {
                snow
            } else {
                far
            };
        }
        if fy > near_top {
            colour = near;
        }
        if fy > horizon {
            colour = city;
            let (column, row) = (x / 24, (y - horizon as u32) / 30);
            let inside = x % 24 > 6
                && x % 24 < 18
                && (y - horizon as u32) % 30 > 8
                && (y - horizon as u32) % 30 < 22;
            if inside && lit(column, row) {
                colour = window;
            }
        }
        Rgb(colour.map(|c| c.clamp(0.0, 255.0) as u8))
    });
    DynamicImage::ImageRgb8(image)
}
