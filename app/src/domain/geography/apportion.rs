//! Apportionment: estimating the population of areas (Durham's wards) from smaller units they
//! partly overlap (census block groups) by area share — a block group with 40% of its land in a
//! ward gives the ward 40% of its people. It assumes people are spread evenly within each block
//! group, which is why every apportioned figure is labelled as such where it is shown.

use geo::{Area, BooleanOps, BoundingRect, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};

use super::projection::LocalProjection;

/// Ground shared by a source unit and a target area.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SharedGround {
    pub source: usize,
    pub target: usize,
    /// The part of the source's land inside the target (0–1).
    pub share_of_source: f64,
}

/// Every (source, target) pair sharing ground, with the source's share; shapes in lon/lat.
pub fn shared_ground(sources: &[MultiPolygon<f64>], targets: &[MultiPolygon<f64>]) -> Vec<SharedGround> {
    let Some(projection) = LocalProjection::for_shapes(sources.iter().chain(targets)) else { return Vec::new() };
    let sources: Vec<_> = sources.iter().map(|s| projection.shape_in_metres(s)).collect();
    let targets: Vec<_> = targets.iter().map(|t| projection.shape_in_metres(t)).collect();
    let boxes = targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let b = t.bounding_rect()?;
            Some(GeomWithData::new(Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]), i))
        })
        .collect();
    let tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>> = RTree::bulk_load(boxes);
    let mut shared = Vec::new();
    for (s, source) in sources.iter().enumerate() {
        let Some(b) = source.bounding_rect() else { continue };
        let envelope = Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]).envelope();
        let source_area = source.unsigned_area();
        if source_area <= 0.0 {
            continue;
        }
        for candidate in tree.locate_in_envelope_intersecting(&envelope) {
            let inside = source.intersection(&targets[candidate.data]).unsigned_area();
            if inside > 0.0 {
                shared.push(SharedGround {
                    source: s,
                    target: candidate.data,
                    share_of_source: (inside / source_area).min(1.0),
                });
            }
        }
    }
    shared
}

/// A source unit's count and margin, or `None` when it has no figure.
pub type SourceFigure = Option<(f64, Option<f64>)>;

/// One target area's apportioned figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Apportioned {
    pub count: f64,
    /// Root sum of squares of the shared margins (the Census Bureau's approximation for a sum of
    /// estimates), when every contributing source has a margin.
    pub margin: Option<f64>,
    /// How many source units contributed.
    pub sources: usize,
}

/// Each target's figure from the sources' figures (`None` where a source has none). A target
/// no source with a figure overlaps gets `None`: unknown, never zero.
pub fn apportion(
    source_figures: &[Option<(f64, Option<f64>)>],
    shared: &[SharedGround],
    targets: usize,
) -> Vec<Option<Apportioned>> {
    let mut result: Vec<Option<(f64, Option<f64>, usize)>> = vec![None; targets];
    for ground in shared {
        let Some(Some((count, margin))) = source_figures.get(ground.source) else { continue };
        let Some(slot) = result.get_mut(ground.target) else { continue };
        let (total, squares, n) = slot.get_or_insert((0.0, Some(0.0), 0));
        *total += count * ground.share_of_source;
        *squares = match (*squares, margin) {
            (Some(sum), Some(m)) => Some(sum + (m * ground.share_of_source).powi(2)),
            _ => None,
        };
        *n += 1;
    }
    result
        .into_iter()
        .map(|slot| {
            slot.map(|(count, squares, sources)| Apportioned { count, margin: squares.map(f64::sqrt), sources })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)]])
    }

    #[test]
    fn a_unit_split_between_two_areas_gives_each_its_land_share() {
        // One block group of 1,000 people, 3/4 in ward A and 1/4 in ward B.
        let sources = [square(0.0, 0.0, 0.04, 0.01)];
        let targets = [square(0.0, 0.0, 0.03, 0.01), square(0.03, 0.0, 0.05, 0.01)];
        let shared = shared_ground(&sources, &targets);
        let wards = apportion(&[Some((1_000.0, Some(100.0)))], &shared, 2);
        let a = wards[0].expect("ward A");
        let b = wards[1].expect("ward B");
        assert!((a.count - 750.0).abs() < 1.0, "{a:?}");
        assert!((b.count - 250.0).abs() < 1.0, "{b:?}");
        assert!((a.margin.expect("margin") - 75.0).abs() < 0.1);
    }

    #[test]
    fn the_total_is_kept_when_the_areas_cover_every_unit() {
        let sources = [square(0.0, 0.0, 0.02, 0.02), square(0.02, 0.0, 0.04, 0.02)];
        let targets = [square(0.0, 0.0, 0.01, 0.02), square(0.01, 0.0, 0.04, 0.02)];
        let shared = shared_ground(&sources, &targets);
        let figures = [Some((500.0, None)), Some((300.0, None))];
        let total: f64 = apportion(&figures, &shared, 2).iter().flatten().map(|a| a.count).sum();
        assert!((total - 800.0).abs() < 0.5, "{total}");
    }

    #[test]
    fn an_area_no_unit_with_a_figure_overlaps_is_unknown_not_zero() {
        let sources = [square(0.0, 0.0, 0.01, 0.01)];
        let targets = [square(0.0, 0.0, 0.01, 0.01), square(0.5, 0.5, 0.6, 0.6)];
        let shared = shared_ground(&sources, &targets);
        let wards = apportion(&[Some((10.0, None))], &shared, 2);
        assert!(wards[0].is_some());
        assert_eq!(wards[1], None);
        assert_eq!(apportion(&[None], &shared, 2), vec![None, None]);
    }

    #[test]
    fn a_margin_is_only_given_when_every_source_has_one() {
        let sources = [square(0.0, 0.0, 0.01, 0.01), square(0.01, 0.0, 0.02, 0.01)];
        let targets = [square(0.0, 0.0, 0.02, 0.01)];
        let shared = shared_ground(&sources, &targets);
        let ward = apportion(&[Some((10.0, Some(3.0))), Some((10.0, None))], &shared, 1)[0].expect("figure");
        assert_eq!(ward.margin, None);
        assert_eq!(ward.sources, 2);
    }
}
