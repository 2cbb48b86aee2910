//! Indicator charts drawn at build time as SVG: a line over the years with both axes,
//! ticks and gridlines, ranks on an inverted axis (rank 1 at the top, so a fall in rank
//! is drawn as a fall), value labels placed so that none overlaps another, and the same
//! figures in a text table beside each chart (the template draws it from `points`).
//!
//! The drawing scales with its container (`viewBox`, width 100%): at 320 px the text is
//! still about 10 px high, and it prints in the page's text colour.

use serde::Serialize;

use crate::content::Indicator;
use crate::render::feeds::escape;
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
    /// Unique within the page: the ids of the drawing's title and of its table.
    pub id: String,
    pub rank: bool,
    pub svg: String,
    /// Oldest first: the text table beside the chart.
    pub points: Vec<Point>,
}

/// A figure of the table beside a chart.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub year: i32,
    /// As shown, in the page's language.
    pub value: String,
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
            let id = format!("chart-{}", crate::slug::slugify(name));
            let rank = is_rank(name);
            Some(Chart {
                svg: line_chart(name, &id, &pts, rank, t),
                points: pts
                    .iter()
                    .map(|&(year, v)| Point {
                        year,
                        value: format_value(v, &t.lang),
                    })
                    .collect(),
                name: name.to_string(),
                id,
                rank,
            })
        })
        .collect()
}

/// A tick step of 1, 2 or 5 times a power of ten giving about four intervals over `range`.
fn nice_step(range: f64) -> f64 {
    let raw = range / 4.0;
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
    let fmt_tick = |v: f64| {
        let s = format!("{v:.decimals$}");
        if lang == "fr" {
            s.replace('.', ",").replace('-', "\u{2212}")
        } else {
            s
        }
    };
    let summary = pts
        .iter()
        .map(|&(y, v)| format!("{y}: {}", format_value(v, lang)))
        .collect::<Vec<_>>()
        .join(", ");
    let y_title = if rank {
        t.get("chart_axis_rank")
    } else {
        t.get("chart_axis_value")
    };
    let how = if rank {
        t.get("chart_rank_note")
    } else {
        t.get("chart_value_note")
    };
    let mut svg = format!(
        r#"<svg class="chart-svg" viewBox="0 0 {W} {H}" width="100%" style="max-width:36rem;height:auto" role="img" aria-labelledby="{id}-t {id}-d" font-size="{TICK_FONT}"><title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>"#,
        title = escape(&t.fill("chart_title", &[("name", name)])),
        desc = escape(&format!("{summary}. {how}")),
    );
    let bottom = H - BOTTOM;
    // Gridlines and y ticks.
    svg.push_str(r#"<g class="axis axis-y" fill="currentColor">"#);
    for &v in &yticks {
        let y = sy(v);
        svg.push_str(&format!(
            r#"<line x1="{LEFT}" x2="{x2}" y1="{y:.1}" y2="{y:.1}" stroke="currentColor" stroke-opacity="0.15"/><line x1="{l5}" x2="{LEFT}" y1="{y:.1}" y2="{y:.1}" stroke="currentColor"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{label}</text>"#,
            x2 = W - RIGHT,
            l5 = LEFT - 5.0,
            tx = LEFT - 8.0,
            ty = y + TICK_FONT * 0.35,
            label = fmt_tick(v),
        ));
    }
    svg.push_str(&format!(
        r#"<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{bottom}" stroke="currentColor"/><text transform="rotate(-90)" x="{tx:.1}" y="14" text-anchor="middle">{y_title}</text></g>"#,
        tx = -(TOP + plot_h / 2.0),
        y_title = escape(y_title),
    ));
    // x axis: a tick for every year with a value, labelled unless the label would touch
    // the one before it (the first and last are always labelled).
    svg.push_str(&format!(
        r#"<g class="axis axis-x" fill="currentColor"><line x1="{LEFT}" x2="{x2}" y1="{bottom}" y2="{bottom}" stroke="currentColor"/>"#,
        x2 = W - RIGHT
    ));
    let year_w = text_width("0000", TICK_FONT) + 6.0;
    let mut last_label: Option<f64> = None;
    let last_x = sx(x1);
    for (k, &(year, _)) in pts.iter().enumerate() {
        let x = sx(year as f64);
        svg.push_str(&format!(
            r#"<line x1="{x:.1}" x2="{x:.1}" y1="{bottom}" y2="{b5}" stroke="currentColor"/>"#,
            b5 = bottom + 5.0
        ));
        let is_last = k == pts.len() - 1;
        let clear_before = last_label.is_none_or(|l| x - l >= year_w);
        let clear_after = is_last || last_x - x >= year_w;
        if clear_before && clear_after {
            svg.push_str(&format!(
                r#"<text x="{x:.1}" y="{ty}" text-anchor="middle">{year}</text>"#,
                ty = bottom + 5.0 + TICK_FONT + 2.0
            ));
            last_label = Some(x);
        }
    }
    svg.push_str(&format!(
        r#"<text x="{cx:.1}" y="{ty}" text-anchor="middle">{label}</text></g>"#,
        cx = LEFT + (W - RIGHT - LEFT) / 2.0,
        ty = H - 6.0,
        label = escape(t.get("col_year")),
    ));
    // The line, its points and their values.
    let line: Vec<String> = pts
        .iter()
        .map(|&(y, v)| format!("{:.1},{:.1}", sx(y as f64), sy(v)))
        .collect();
    svg.push_str(&format!(
        r#"<polyline fill="none" stroke="currentColor" stroke-width="2.5" points="{}"/>"#,
        line.join(" ")
    ));
    let mut placed: Vec<Bbox> = Vec::new();
    for &(year, v) in pts {
        let (x, y) = (sx(year as f64), sy(v));
        svg.push_str(&format!(
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="currentColor" data-year="{year}" data-value="{v}"/>"#
        ));
    }
    for &(year, v) in pts {
        let (x, y) = (sx(year as f64), sy(v));
        // A point's own marker is not a label: only other labels are avoided.
        let text = format_value(v, lang);
        if let Some((tx, ty, anchor, bbox)) = place_label(x, y, &text, &placed) {
            placed.push(bbox);
            svg.push_str(&format!(
                r#"<text class="value" x="{tx:.1}" y="{ty:.1}" text-anchor="{anchor}" font-size="{LABEL_FONT}" font-weight="bold" fill="currentColor">{text}</text>"#
            ));
        }
    }
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
            ("chart_rank_note", "Rank 1 is at the top."),
            ("chart_value_note", "Higher values are higher."),
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

    /// The `cy` of the point drawn for `year`.
    fn cy(svg: &str, year: i32) -> f64 {
        let at = svg
            .find(&format!(r#"data-year="{year}""#))
            .expect("point drawn");
        let start = svg[..at].rfind("<circle").unwrap();
        let tag = &svg[start..at];
        let v = tag.split(r#"cy=""#).nth(1).unwrap();
        v[..v.find('"').unwrap()].parse().unwrap()
    }

    /// Every value label's box, from the drawn text.
    fn label_boxes(svg: &str) -> Vec<Bbox> {
        svg.split(r#"<text class="value" "#)
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
                let x0 = match attr("text-anchor").as_str() {
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
        assert!(cy(&svg, 2016) < cy(&svg, 2008));
        assert!(cy(&svg, 2008) < cy(&svg, 2020));
        // Indices keep the usual direction: the larger value is higher.
        let svg = line_chart("EGDI", "c", &[(2018, 0.3), (2020, 0.33)], false, &strings());
        assert!(cy(&svg, 2020) < cy(&svg, 2018));
    }

    #[test]
    fn axes_ticks_and_titles_are_drawn() {
        let pts = [(2008, 156.0), (2016, 148.0), (2020, 167.0)];
        let svg = line_chart("EGDI rank", "c", &pts, true, &strings());
        assert!(svg.contains(r#"class="axis axis-y""#) && svg.contains(r#"class="axis axis-x""#));
        for label in [
            ">145<", ">150<", ">160<", ">170<", ">2008<", ">2016<", ">2020<",
        ] {
            assert!(svg.contains(label), "{label} in {svg}");
        }
        assert!(svg.contains("Rank (1 = first)") && svg.contains(">Year<"));
        assert!(svg.contains(r#"viewBox="0 0 400 240""#) && svg.contains(r#"width="100%""#));
        assert!(svg.contains(r#"<title id="c-t">EGDI rank by year</title>"#));
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
        assert_eq!((a, b, d), (145.0, 170.0, 0));
        assert_eq!(list, vec![145.0, 150.0, 155.0, 160.0, 165.0, 170.0]);
        let (a, b, list, _) = ticks(1.0, 3.0, true);
        assert!(a <= 1.0 && b >= 3.0 && list.iter().all(|v| *v >= 1.0));
        let (a, b, _, d) = ticks(0.19, 0.55, false);
        assert!(a <= 0.19 && b >= 0.55 && d >= 1);
    }
}
