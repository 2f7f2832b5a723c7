//! The results map as SVG, drawn without I/O: the choropleth's shapes (each filled by its
//! class, titled with its area's name and figure) and the whole file the map image is.

use std::collections::HashMap;

use super::figures::{AreaFigure, too_few_to_tell};
use super::legend::Legend;
use super::words::{count, estimate};
use crate::domain::geography::AreaMap;
use crate::domain::svg::escape;

/// The inner SVG of a choropleth: a hatch pattern for withheld areas and a dot pattern for areas
/// with too few responses to tell, then one shape per area filled by its class, titled with its
/// name and figure (hover, and screen readers that read titles). Areas without a figure are
/// grey; withheld ones hatched; too uncertain ones dotted ([`too_few_to_tell`]). The fill is an inline style
/// because the staff map's stylesheet colours every area path.
pub fn choropleth_svg(map: &AreaMap, figures: &[AreaFigure], legend: &Legend) -> String {
    let by_area: HashMap<&str, &AreaFigure> = figures.iter().map(|f| (f.area.as_str(), f)).collect();
    let mut svg = String::with_capacity(map.areas.iter().map(|a| a.path.len() + a.name.len() + 120).sum());
    svg.push_str(concat!(
        "<defs><pattern id=\"withheld-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" ",
        "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/>",
        "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#6b6b6b\" stroke-width=\"2\"/></pattern>",
        "<pattern id=\"too-few-dots\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">",
        "<rect width=\"5\" height=\"5\" fill=\"#ffffff\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.2\" fill=\"#6b6b6b\"/></pattern></defs>"
    ));
    for area in &map.areas {
        let figure = by_area.get(area.key.as_str());
        let (fill, said) = match figure {
            Some(f) if f.withheld => {
                ("url(#withheld-hatch)".to_owned(), "withheld (too few responses to show)".to_owned())
            }
            Some(f) if too_few_to_tell(f, legend.scale) => (
                "url(#too-few-dots)".to_owned(),
                format!(
                    "too few responses to tell: {}{}",
                    f.value.map(|v| estimate(legend.scale, v)).unwrap_or_default(),
                    f.base.map(|n| format!(", {} answers", count(n as f64))).unwrap_or_default()
                ),
            ),
            Some(f) => match f.value {
                Some(value) => (
                    legend.color_of(Some(value.value)).to_owned(),
                    format!(
                        "{}{}",
                        estimate(legend.scale, value),
                        f.base.map(|n| format!(", {} answers", count(n as f64))).unwrap_or_default()
                    ),
                ),
                None => (legend.color_of(None).to_owned(), "no figure".to_owned()),
            },
            None => (legend.color_of(None).to_owned(), "no figure".to_owned()),
        };
        svg.push_str(&format!(
            "<path data-area=\"{}\" style=\"fill:{fill}\" d=\"{}\"><title>{}: {}</title></path>",
            escape(&area.key),
            area.path,
            escape(&area.name),
            escape(&said)
        ));
    }
    svg
}

/// A whole SVG document of the map, `height` units high in a 1,000-unit-wide view box, with
/// `title` as its accessible name and its own stroke style (a file has no page stylesheet).
pub fn choropleth_document(map: &AreaMap, figures: &[AreaFigure], legend: &Legend, title: &str) -> String {
    format!(
        concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 {height}\" width=\"1000\" ",
            "height=\"{height}\" role=\"img\"><title>{title}</title>",
            "<style>path{{stroke:#ffffff;stroke-width:.6;fill-rule:evenodd;vector-effect:non-scaling-stroke}}</style>{inner}</svg>"
        ),
        height = map.height,
        title = escape(title),
        inner = choropleth_svg(map, figures, legend)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::intervals::Estimate;
    use crate::domain::dashboard::figures::Scale;
    use crate::domain::geography::MapArea;

    fn map() -> AreaMap {
        AreaMap {
            set_key: "npa".into(),
            set_name: "Areas".into(),
            height: 400.0,
            zip_lookup: false,
            address_lookup: false,
            outlines: Vec::new(),
            areas: vec![
                MapArea {
                    key: "1".into(),
                    name: "Dilworth & <Myers>".into(),
                    path: "M0 0L1 0L1 1Z".into(),
                    aliases: Vec::new(),
                },
                MapArea { key: "2".into(), name: "Plaza".into(), path: "M1 0L2 0L2 1Z".into(), aliases: Vec::new() },
                MapArea { key: "3".into(), name: "Eastland".into(), path: "M2 0L3 0L3 1Z".into(), aliases: Vec::new() },
            ],
        }
    }

    fn figure(area: &str, value: Option<f64>, withheld: bool) -> AreaFigure {
        AreaFigure {
            area: area.into(),
            name: area.into(),
            value: value.map(|v| Estimate { value: v, low: v - 0.05, high: v + 0.05 }),
            base: Some(40),
            withheld,
            representation: None,
        }
    }

    #[test]
    fn withheld_areas_are_hatched_and_areas_without_a_figure_are_grey() {
        let figures = [figure("1", Some(0.4), false), figure("2", None, true)];
        let legend = Legend::for_values(Scale::Share, &[Some(0.4), None], 0.8);
        let svg = choropleth_svg(&map(), &figures, &legend);
        assert!(svg.contains("data-area=\"2\" style=\"fill:url(#withheld-hatch)\""), "{svg}");
        assert!(svg.contains(&format!("data-area=\"3\" style=\"fill:{}\"", legend.color_of(None))), "{svg}");
        assert!(svg.contains("<title>Dilworth &amp; &lt;Myers&gt;: "), "{svg}");
    }

    #[test]
    fn areas_with_too_few_responses_to_tell_are_dotted_not_coloured() {
        let wide = AreaFigure {
            value: Some(Estimate { value: 0.5, low: 0.1, high: 0.9 }),
            base: Some(3),
            ..figure("2", None, false)
        };
        let figures = [figure("1", Some(0.4), false), wide];
        let legend = Legend::for_values(Scale::Share, &[Some(0.4)], 0.8);
        let svg = choropleth_svg(&map(), &figures, &legend);
        assert!(svg.contains("data-area=\"2\" style=\"fill:url(#too-few-dots)\""), "{svg}");
        assert!(svg.contains(": too few responses to tell: 50") && svg.contains(", 3 answers</title>"), "{svg}");
        assert!(!svg.contains("data-area=\"1\" style=\"fill:url(#too-few-dots)\""), "{svg}");
    }

    #[test]
    fn the_file_is_a_whole_svg_document_with_an_escaped_title() {
        let legend = Legend::for_values(Scale::Share, &[], 0.8);
        let svg = choropleth_document(&map(), &[], &legend, "Safety <by area>");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 400\""), "{svg}");
        assert!(svg.contains("<title>Safety &lt;by area&gt;</title>"), "{svg}");
        assert!(svg.ends_with("</svg>"));
    }
}
