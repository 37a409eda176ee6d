//! How a card shows its media: RBM's media heights, the card widths we assume, and the
//! visible rectangle of an image (center crop). The crop finding and the preview both use
//! [`crop_for_height`], so what the warning says is cut is what the preview leaves out.

/// RBM's media heights (`height`), in dp.
pub const SHORT_DP: u32 = 112;
pub const MEDIUM_DP: u32 = 168;
pub const TALL_DP: u32 = 264;

/// A standalone (vertical) card: about the chat's width on a 360 dp phone, less margins.
/// RBM publishes no figure; see docs/validation-notes.md, "Media check".
pub const STANDALONE_CARD_WIDTH_DP: u32 = 320;

/// A carousel card. RBM's `cardWidth` is SMALL (120 dp) or MEDIUM (232 dp); the vendor's API
/// has no such field, so we assume MEDIUM.
pub const CAROUSEL_CARD_WIDTH_DP: u32 = 232;

/// The dp height of a card `height` value (`SHORT`, `MEDIUM`, `TALL`).
pub fn height_dp(height: &str) -> Option<u32> {
    match height {
        "SHORT" => Some(SHORT_DP),
        "MEDIUM" => Some(MEDIUM_DP),
        "TALL" => Some(TALL_DP),
        _ => None,
    }
}

/// The part of an `img_w`×`img_h` image a card `card_w_dp` wide with media `height_dp` high
/// shows, as `(x, y, w, h)` in image pixels: the image is scaled to cover the media area and
/// centered, so a tall image loses its top and bottom, a wide one its sides.
/// A zero in any argument gives the whole image.
pub fn crop_for_height(
    img_w: u32,
    img_h: u32,
    card_w_dp: u32,
    height_dp: u32,
) -> (u32, u32, u32, u32) {
    if img_w == 0 || img_h == 0 || card_w_dp == 0 || height_dp == 0 {
        return (0, 0, img_w, img_h);
    }
    let (iw, ih, cw, ch) = (
        u64::from(img_w),
        u64::from(img_h),
        u64::from(card_w_dp),
        u64::from(height_dp),
    );
    let rounded_div = |a: u64, b: u64| (a + b / 2) / b;
    if iw * ch >= cw * ih {
        // Wider than the media area: full height, the sides cut.
        let w = rounded_div(ih * cw, ch).clamp(1, iw);
        let w = u32::try_from(w).unwrap_or(img_w);
        (img_w.saturating_sub(w) / 2, 0, w, img_h)
    } else {
        let h = rounded_div(iw * ch, cw).clamp(1, ih);
        let h = u32::try_from(h).unwrap_or(img_h);
        (0, img_h.saturating_sub(h) / 2, img_w, h)
    }
}

/// The share of the image's area a crop leaves out, 0.0 to 1.0.
pub fn cut_fraction(img_w: u32, img_h: u32, crop: (u32, u32, u32, u32)) -> f64 {
    let whole = f64::from(img_w) * f64::from(img_h);
    if whole == 0.0 {
        return 0.0;
    }
    1.0 - (f64::from(crop.2) * f64::from(crop.3)) / whole
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_portrait_image_loses_its_top_and_bottom() {
        // 1200×1600 in a 320×112 dp area: 1200 px wide shows 420 px of height.
        let c = crop_for_height(1200, 1600, STANDALONE_CARD_WIDTH_DP, SHORT_DP);
        assert_eq!(c, (0, 590, 1200, 420));
        assert!((cut_fraction(1200, 1600, c) - 0.7375).abs() < 1e-9);
    }

    #[test]
    fn a_wide_image_loses_its_sides() {
        // 3000×600 in 232×264 dp: 600 px high shows 527 px of width.
        let c = crop_for_height(3000, 600, CAROUSEL_CARD_WIDTH_DP, TALL_DP);
        assert_eq!(c, (1236, 0, 527, 600));
    }

    #[test]
    fn an_image_of_the_areas_shape_is_whole() {
        assert_eq!(
            crop_for_height(640, 336, 320, MEDIUM_DP),
            (0, 0, 640, 336),
            "640×336 is 320×168 doubled"
        );
        assert_eq!(cut_fraction(640, 336, (0, 0, 640, 336)), 0.0);
    }

    #[test]
    fn degenerate_sizes_never_divide_by_zero() {
        assert_eq!(crop_for_height(0, 10, 320, 112), (0, 0, 0, 10));
        assert_eq!(crop_for_height(10, 10, 0, 112), (0, 0, 10, 10));
        assert_eq!(crop_for_height(1, 100_000, 320, 112), (0, 49_999, 1, 1));
        let c = crop_for_height(u32::MAX, 1, 320, 264);
        assert_eq!((c.2, c.3), (1, 1));
    }

    #[test]
    fn heights_by_name() {
        assert_eq!(height_dp("SHORT"), Some(112));
        assert_eq!(height_dp("MEDIUM"), Some(168));
        assert_eq!(height_dp("TALL"), Some(264));
        assert_eq!(height_dp("tall"), None);
    }
}
