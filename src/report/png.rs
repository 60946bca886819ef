//! Pictures as PNG (feature `png`), for a word processor: the SVG of a map
//! or a chart rendered in-process by resvg, with the system's fonts.

use std::io;

use resvg::{tiny_skia, usvg};

use super::svg::FONT_FAMILIES;

/// Renders an SVG picture (the map, the history chart) as PNG, `scale`
/// times its size in pixels (2 gives print resolution for a page's width).
///
/// # Errors
///
/// `NotFound` when the system has none of the fonts with Chinese glyphs the
/// pictures are set in (the names would be drawn as boxes); `InvalidData`
/// for text that is not SVG; `InvalidInput` for a scale that leaves no
/// pixel or too many.
pub fn svg_to_png(svg: &[u8], scale: f32) -> io::Result<Vec<u8>> {
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let has_cjk = options.fontdb.faces().any(|face| {
        (face.families.iter()).any(|(family, _)| FONT_FAMILIES.contains(&family.as_str()))
    });
    if !has_cjk {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "no font with Chinese glyphs found (one of {}): install one \
                 (Debian: apt install fonts-noto-cjk), or draw the map as SVG",
                FONT_FAMILIES.join(", ")
            ),
        ));
    }
    let tree = usvg::Tree::from_data(svg, &options)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
    let too_large = || io::Error::new(io::ErrorKind::InvalidInput, "no picture at that scale");
    let size = (tree.size().to_int_size().scale_by(scale)).ok_or_else(too_large)?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(too_large)?;
    let transform = tiny_skia::Transform::from_scale(scale, scale);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap.encode_png().map_err(io::Error::other)
}
