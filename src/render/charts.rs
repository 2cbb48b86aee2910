//! Indicator charts drawn at build time as SVG: a line over the years with both axes,
//! ticks and gridlines, ranks on an inverted axis (better, smaller ranks higher, so a fall in rank
//! is drawn as a fall), and value labels placed so that none overlaps another. The page
//! puts the same figures, with their sources, in the table of indicators right before
//! each chart.
//!
//! The drawing scales with its container (`viewBox`, width 100%): at 320 px the text is
//! still about 10 px high, and it prints in the page's text colour.
//!
//! On a page in a right-to-left language (Arabic) the drawing is mirrored, as the page is:
//! time runs from right to left, the value axis stands on the right, and the drawing's
//! text runs right to left (`direction="rtl"`, so `text-anchor` start and end mirror with
//! it). Everything is placed left to right first and mirrored as it is written, so labels
//! avoid each other the same way in both directions.

use serde::Serialize;

use crate::content::Indicator;
use crate::markup::escape::escape;
use crate::render::bidi;
use crate::render::i18n::Strings;
use crate::render::indicators::{format_value, is_rank};

/// The drawing's coordinate space (the `viewBox`).
const W: f64 = 400.0;
const H: f64 = 240.0;
/// Margins: room for tick labels and axis titles.
const LEFT: f64 = 64.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 48.0;
const TICK_FONT: f64 = 13.0;
const LABEL_FONT: f64 = 12.0;

/// One chart and its figures, for a country's page.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub name: String,
    /// Unique within the page: the id of the drawing's title.
    pub id: String,
    pub rank: bool,
    pub svg: String,
}

/// A chart for every indicator with values for at least two years, in the order the
/// indicators are first written.
pub fn charts(indicators: &[Indicator], t: &Strings) -> Vec<Chart> {
    let mut names: Vec<&str> = Vec::new();
    for i in indicators {
        if !names.contains(&i.name.as_str()) {
            names.push(&i.name);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let mut pts: Vec<(i32, f64)> = indicators
                .iter()
                .filter(|i| i.name == name && i.value.is_finite())
                .map(|i| (i.year, i.value))
                .collect();
            pts.sort_by_key(|p| p.0);
            pts.dedup_by_key(|p| p.0);
            if pts.len() < 2 {
                return None;
            }
            let id = format!("fig-{}", crate::slug::slugify(name));
            let rank = is_rank(name);
            Some(Chart {
                svg: line_chart(name, &id, &pts, rank, t),
                name: name.to_string(),
                id,
                rank,
            })
        })
        .collect()
}

/// A tick step of 1, 2 or 5 times a power of ten giving about three intervals over `range`.
fn nice_step(range: f64) -> f64 {
    let raw = range / 3.0;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let m = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// The axis range and its ticks: whole steps enclosing every value.
fn ticks(lo: f64, hi: f64, rank: bool) -> (f64, f64, Vec<f64>, usize) {
    let span = if hi > lo {
        hi - lo
    } else if rank {
        10.0
    } else {
        (hi.abs() * 0.2).max(0.1)
    };
    let step = nice_step(span);
    let mut a = (lo / step).floor() * step;
    let mut b = (hi / step).ceil() * step;
    if b - a < step {
        a -= step;
        b += step;
    }
    if rank && a < 1.0 {
        a = 0.0;
    }
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let n = ((b - a) / step).round() as usize;
    let list = (0..=n)
        .map(|k| a + k as f64 * step)
        // Rank 0 does not exist: the axis starts there, but it is not labelled.
        .filter(|v| !(rank && *v < 1.0))
        .collect();
    (a, b, list, decimals)
}

/// Rough width of a text in the drawing's units (digits and Latin letters average a
/// little over half the font size).
fn text_width(s: &str, font: f64) -> f64 {
    s.chars().count() as f64 * font * 0.6
}

/// A box a label covers: (x0, y0, x1, y1).
type Bbox = (f64, f64, f64, f64);

fn overlaps(a: Bbox, b: Bbox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Where a value label goes: beside its point, above or below it, nudged inside the
/// drawing, and never over another label. `None` when neither place is free (the table
/// beside the chart still gives the figure).
fn place_label(
    x: f64,
    y: f64,
    text: &str,
    placed: &[Bbox],
) -> Option<(f64, f64, &'static str, Bbox)> {
    let w = text_width(text, LABEL_FONT);
    let (anchor, x0) = if x - w / 2.0 < LEFT {
        ("start", x - 4.0)
    } else if x + w / 2.0 > W - 2.0 {
        ("end", x + 4.0 - w)
    } else {
        ("middle", x - w / 2.0)
    };
    let text_x = match anchor {
        "start" => x - 4.0,
        "end" => x + 4.0,
        _ => x,
    };
    for baseline in [y - 9.0, y + 9.0 + LABEL_FONT] {
        let bbox = (x0, baseline - LABEL_FONT, x0 + w, baseline + 3.0);
        let inside = bbox.1 >= 0.0 && bbox.3 <= H - BOTTOM;
        if inside && !placed.iter().any(|&p| overlaps(p, bbox)) {
            return Some((text_x, baseline, anchor, bbox));
        }
    }
    None
}

/// An SVG line chart of `pts` (oldest first, at least two years).
pub fn line_chart(name: &str, id: &str, pts: &[(i32, f64)], rank: bool, t: &Strings) -> String {
    let lang = t.lang.as_str();
    let rtl = bidi::is_rtl(lang);
    // Where a left-to-right x is drawn: the same place, or its mirror image.
    let fx = |x: f64| if rtl { W - x } else { x };
    let (x0, x1) = (pts[0].0 as f64, pts[pts.len() - 1].0 as f64);
    let lo = pts.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = pts.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let (a, b, yticks, decimals) = ticks(lo, hi, rank);
    let plot_h = H - TOP - BOTTOM;
    // The line starts and ends a little inside the axes, so no point sits on an axis.
    let (px0, px1) = (LEFT + 20.0, W - RIGHT - 20.0);
    let sx = |x: f64| px0 + (x - x0) / (x1 - x0).max(1.0) * (px1 - px0);
    // Ranks: the smallest number (the best rank) at the top. Values: the largest.
    let sy = |v: f64| {
        let f = (v - a) / (b - a);
        if rank {
            TOP + f * plot_h
        } else {
            TOP + (1.0 - f) * plot_h
        }
    };
    let rules = crate::render::locale::get(lang);
    let fmt_tick = |v: f64| rules.decimal(&format!("{v:.decimals$}"));
    let y_title = if rank {
        t.get("chart_axis_rank")
    } else {
        t.get("chart_axis_value")
    };
    let mut svg = format!(
        r#"<svg viewBox="0 0 {W} {H}" width="100%" role="img" aria-labelledby="{id}" font-size="{TICK_FONT}"{direction}><title id="{id}">{title}</title>"#,
        title = escape(&t.fill("chart_title", &[("name", name)])),
        direction = if rtl { r#" direction="rtl""# } else { "" },
    );
    let bottom = H - BOTTOM;
    // Coordinates in whole units of the 400-unit-wide drawing: about one pixel at the
    // widths it is shown at, and shorter to write than fractions.
    let n = |v: f64| format!("{:.0}", v.round() + 0.0);
    // y axis: gridlines, ticks and their labels, the axis line and its title.
    let mut grid = String::new();
    let mut marks = format!("M{} {TOP}V{bottom}H{}", fx(LEFT), fx(W - RIGHT));
    let mut labels = String::new();
    for &v in &yticks {
        let y = n(sy(v));
        grid.push_str(&format!("M{} {y}H{}", fx(LEFT), fx(W - RIGHT)));
        marks.push_str(&format!("M{} {y}H{}", fx(LEFT - 5.0), fx(LEFT)));
        labels.push_str(&format!(
            r#"<text x="{}" y="{}">{}</text>"#,
            fx(LEFT - 8.0),
            n(sy(v) + TICK_FONT * 0.35),
            fmt_tick(v)
        ));
    }
    svg.push_str(&format!(
        r#"<path d="{grid}" stroke="currentColor" stroke-opacity="0.15"/><g class="axis axis-y" fill="currentColor" text-anchor="end">{labels}<text transform="rotate(-90)" x="{}" y="{}" text-anchor="middle">{}</text></g>"#,
        n(-(TOP + plot_h / 2.0)),
        // Turned a quarter to the left, the title's letters stand to the left of its
        // baseline (`y` is then the distance from the left edge): 14 on the left, and on
        // the right the baseline that puts the letters where the mirror image would.
        if rtl { W - 7.0 } else { 14.0 },
        escape(y_title),
    ));
    // x axis: a tick for every year with a value, labelled unless the label would touch
    // its neighbour (the first and last are always labelled).
    let year_w = text_width("0000", TICK_FONT) + 6.0;
    let mut last_label: Option<f64> = None;
    let last_x = sx(x1);
    let mut labels = String::new();
    for (k, &(year, _)) in pts.iter().enumerate() {
        let x = sx(year as f64);
        marks.push_str(&format!("M{} {bottom}v5", n(fx(x))));
        let is_last = k == pts.len() - 1;
        let clear_before = last_label.is_none_or(|l| x - l >= year_w);
        let clear_after = is_last || last_x - x >= year_w;
        if clear_before && clear_after {
            labels.push_str(&format!(
                r#"<text x="{}" y="{}">{year}</text>"#,
                n(fx(x)),
                bottom + 5.0 + TICK_FONT + 2.0
            ));
            last_label = Some(x);
        }
    }
    svg.push_str(&format!(
        r#"<g class="axis axis-x" fill="currentColor" text-anchor="middle">{labels}<text x="{}" y="{}">{}</text></g><path d="{marks}" stroke="currentColor" fill="none"/>"#,
        n(fx(LEFT + (W - RIGHT - LEFT) / 2.0)),
        H - 6.0,
        escape(t.get("col_year")),
    ));
    // The line, its points and their values.
    let line: Vec<String> = pts
        .iter()
        .map(|&(y, v)| format!("{},{}", n(fx(sx(y as f64))), n(sy(v))))
        .collect();
    svg.push_str(&format!(
        r#"<polyline fill="none" stroke="currentColor" stroke-width="2.5" points="{}"/><g fill="currentColor">"#,
        line.join(" ")
    ));
    for &(year, v) in pts {
        svg.push_str(&format!(
            r#"<circle cx="{}" cy="{}" r="4" data-value="{v}"/>"#,
            n(fx(sx(year as f64))),
            n(sy(v))
        ));
    }
    svg.push_str(&format!(
        r#"</g><g fill="currentColor" font-size="{LABEL_FONT}" font-weight="bold" text-anchor="middle">"#
    ));
    let mut placed: Vec<Bbox> = Vec::new();
    for &(year, v) in pts {
        let (x, y) = (sx(year as f64), sy(v));
        // A point's own marker is not a label: only other labels are avoided.
        let text = format_value(v, lang);
        if let Some((tx, ty, anchor, bbox)) = place_label(x, y, &text, &placed) {
            placed.push(bbox);
            let anchor = if anchor == "middle" {
                String::new()
            } else {
                format!(r#" text-anchor="{anchor}""#)
            };
            svg.push_str(&format!(
                r#"<text x="{}" y="{}"{anchor}>{text}</text>"#,
                n(fx(tx)),
                n(ty)
            ));
        }
    }
    svg.push_str("</g>");
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn strings() -> Strings {
        let map: BTreeMap<String, String> = [
            ("chart_axis_rank", "Rank (1 = first)"),
            ("chart_axis_value", "Value"),
            ("chart_title", "{name} by year"),
            ("col_year", "Year"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Strings {
            lang: "en".into(),
            map,
        }
    }

    /// The `cy` of the point drawn for `value`.
    fn cy(svg: &str, value: f64) -> f64 {
        let at = svg
            .find(&format!(r#"data-value="{value}""#))
            .expect("point drawn");
        let start = svg[..at].rfind("<circle").unwrap();
        let tag = &svg[start..at];
        let v = tag.split(r#"cy=""#).nth(1).unwrap();
        v[..v.find('"').unwrap()].parse().unwrap()
    }

    /// Every value label's box, from the drawn text.
    fn label_boxes(svg: &str) -> Vec<Bbox> {
        let values = svg
            .rsplit(r#"font-weight="bold" text-anchor="middle">"#)
            .next()
            .unwrap();
        values
            .split("<text ")
            .skip(1)
            .map(|rest| {
                let attr = |name: &str| -> String {
                    let v = rest.split(&format!(r#"{name}=""#)).nth(1).unwrap();
                    v[..v.find('"').unwrap()].to_string()
                };
                let x: f64 = attr("x").parse().unwrap();
                let y: f64 = attr("y").parse().unwrap();
                let text = &rest[rest.find('>').unwrap() + 1..rest.find("</text>").unwrap()];
                let w = text_width(text, LABEL_FONT);
                let anchor = rest[..rest.find('>').unwrap()]
                    .split(r#"text-anchor=""#)
                    .nth(1)
                    .map(|v| v[..v.find('"').unwrap()].to_string())
                    .unwrap_or_else(|| "middle".into());
                let x0 = match anchor.as_str() {
                    "start" => x,
                    "end" => x - w,
                    _ => x - w / 2.0,
                };
                (x0, y - LABEL_FONT, x0 + w, y + 3.0)
            })
            .collect()
    }

    #[test]
    fn a_fall_in_rank_is_drawn_as_a_fall() {
        let pts = [(2008, 156.0), (2016, 148.0), (2020, 167.0)];
        let svg = line_chart("EGDI rank", "c", &pts, true, &strings());
        // y grows downwards in SVG: the better rank 148 sits above 156, and 167 below both.
        assert!(cy(&svg, 148.0) < cy(&svg, 156.0));
        assert!(cy(&svg, 156.0) < cy(&svg, 167.0));
        // Indices keep the usual direction: the larger value is higher.
        let svg = line_chart("EGDI", "c", &[(2018, 0.3), (2020, 0.33)], false, &strings());
        assert!(cy(&svg, 0.33) < cy(&svg, 0.3));
    }

    #[test]
    fn axes_ticks_and_titles_are_drawn() {
        let pts = [(2008, 156.0), (2016, 148.0), (2020, 167.0)];
        let svg = line_chart("EGDI rank", "c", &pts, true, &strings());
        assert!(svg.contains(r#"class="axis axis-y""#) && svg.contains(r#"class="axis axis-x""#));
        assert!(svg.contains(r#"d="M64 24V192H380"#), "both axis lines");
        for label in [
            ">140<", ">150<", ">160<", ">170<", ">2008<", ">2016<", ">2020<",
        ] {
            assert!(svg.contains(label), "{label} in {svg}");
        }
        assert!(svg.contains("Rank (1 = first)") && svg.contains(">Year<"));
        assert!(svg.contains(r#"viewBox="0 0 400 240""#) && svg.contains(r#"width="100%""#));
        assert!(svg.contains(r#"aria-labelledby="c""#));
        assert!(svg.contains(r#"<title id="c">EGDI rank by year</title>"#));
    }

    /// The `cx` of the point drawn for `value`.
    fn cx(svg: &str, value: f64) -> f64 {
        let at = svg
            .find(&format!(r#"data-value="{value}""#))
            .expect("point drawn");
        let start = svg[..at].rfind("<circle").unwrap();
        let v = svg[start..at].split(r#"cx=""#).nth(1).unwrap();
        v[..v.find('"').unwrap()].parse().unwrap()
    }

    #[test]
    fn on_an_arabic_page_time_runs_from_right_to_left() {
        let pts = [(2008, 156.0), (2016, 148.0), (2020, 167.0)];
        let ltr = line_chart("EGDI rank", "c", &pts, true, &strings());
        let mut ar = strings();
        ar.lang = "ar".into();
        let rtl = line_chart("EGDI rank", "c", &pts, true, &ar);
        // Left to right: oldest on the left, the value axis on the left, no direction set.
        assert!(cx(&ltr, 156.0) < cx(&ltr, 148.0) && cx(&ltr, 148.0) < cx(&ltr, 167.0));
        assert!(!ltr.contains("direction"));
        // Right to left: the same drawing mirrored, its text running right to left.
        assert!(cx(&rtl, 156.0) > cx(&rtl, 148.0) && cx(&rtl, 148.0) > cx(&rtl, 167.0));
        for v in [156.0, 148.0, 167.0] {
            assert_eq!(cx(&rtl, v), W - cx(&ltr, v), "point {v} mirrored");
            assert_eq!(cy(&rtl, v), cy(&ltr, v), "point {v} at the same height");
        }
        assert!(rtl.contains(r#"direction="rtl""#), "{rtl}");
        assert!(
            rtl.contains(r#"d="M336 24V192H20"#),
            "the value axis on the right: {rtl}"
        );
        // Tick labels stand outside the axis, at the mirror of the left-to-right place.
        assert!(rtl.contains(r#"<text x="344" y="#), "{rtl}");
        // The year labels are written in the same order of years, mirrored.
        let year_x = |svg: &str, year: &str| -> f64 {
            let end = svg.find(&format!(">{year}</text>")).unwrap();
            let start = svg[..end].rfind("<text x=\"").unwrap() + 9;
            svg[start..start + svg[start..].find('"').unwrap()]
                .parse()
                .unwrap()
        };
        assert!(year_x(&rtl, "2008") > year_x(&rtl, "2020"));
        assert_eq!(year_x(&rtl, "2008"), W - year_x(&ltr, "2008"));
    }

    #[test]
    fn labels_never_overlap() {
        // Close years and close values: the labels have to move out of each other's way.
        let pts = [
            (2014, 150.0),
            (2015, 151.0),
            (2016, 150.0),
            (2017, 152.0),
            (2030, 190.0),
        ];
        let svg = line_chart("EGDI rank", "c", &pts, true, &strings());
        let boxes = label_boxes(&svg);
        assert!(boxes.len() >= 2);
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!overlaps(*a, *b), "{a:?} overlaps {b:?}");
            }
            assert!(
                a.0 >= 0.0 && a.2 <= W && a.1 >= 0.0,
                "{a:?} inside the drawing"
            );
        }
        // Year labels of adjacent years would touch: only some are written.
        let years = ["2014", "2015", "2016", "2017"]
            .iter()
            .filter(|y| svg.contains(&format!(">{y}</text>")))
            .count();
        assert!(years < 4);
        assert!(svg.contains(">2030</text>") && svg.contains(">2014</text>"));
    }

    #[test]
    fn ticks_enclose_the_values() {
        let (a, b, list, d) = ticks(148.0, 167.0, true);
        assert_eq!((a, b, d), (140.0, 170.0, 0));
        assert_eq!(list, vec![140.0, 150.0, 160.0, 170.0]);
        let (a, b, list, _) = ticks(1.0, 3.0, true);
        assert!(a <= 1.0 && b >= 3.0 && list.iter().all(|v| *v >= 1.0));
        let (a, b, _, d) = ticks(0.19, 0.55, false);
        assert!(a <= 0.19 && b >= 0.55 && d >= 1);
    }
}
