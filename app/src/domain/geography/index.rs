//! Placing a point in an area: an R-tree of the areas' bounding boxes narrows 462 polygons to the
//! one or two whose box holds the point, and only those are tested exactly. The point's own
//! coordinates are used for the lookup and then dropped; only the area id is kept.

use geo::{Coord, Intersects, MultiPolygon};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use geo::BoundingRect;

/// An area set ready for lookups.
pub struct AreaIndex {
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    areas: Vec<(String, MultiPolygon<f64>)>,
}

impl AreaIndex {
    /// Indexes areas given as (id, longitude/latitude shape), in the set's order.
    pub fn new(areas: Vec<(String, MultiPolygon<f64>)>) -> Self {
        let boxes = areas
            .iter()
            .enumerate()
            .filter_map(|(i, (_, shape))| {
                let b = shape.bounding_rect()?;
                Some(GeomWithData::new(Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]), i))
            })
            .collect();
        Self { tree: RTree::bulk_load(boxes), areas }
    }

    /// The area holding a point, or `None` outside every area. A point inside a hole belongs to
    /// whichever area fills the hole. A point exactly on a boundary shared by two areas belongs
    /// to the one that comes first in the set, so the answer never depends on rounding luck.
    pub fn locate(&self, longitude: f64, latitude: f64) -> Option<&str> {
        if !longitude.is_finite() || !latitude.is_finite() {
            return None;
        }
        let point = Coord { x: longitude, y: latitude };
        self.tree
            .locate_all_at_point(&[longitude, latitude])
            .map(|b| b.data)
            .filter(|&i| self.areas[i].1.intersects(&point))
            .min()
            .map(|i| self.areas[i].0.as_str())
    }

    /// How many areas the index holds.
    pub fn len(&self) -> usize {
        self.areas.len()
    }

    /// Whether the index holds no area.
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon, polygon};

    /// Two squares side by side (a: x 0–1, b: x 1–2), and a square c with a hole filled by d.
    fn city() -> AreaIndex {
        let a = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        let b = polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)];
        let c = Polygon::new(
            LineString::from(vec![(3.0, 0.0), (6.0, 0.0), (6.0, 3.0), (3.0, 3.0), (3.0, 0.0)]),
            vec![LineString::from(vec![(4.0, 1.0), (5.0, 1.0), (5.0, 2.0), (4.0, 2.0), (4.0, 1.0)])],
        );
        let d = polygon![(x: 4.0, y: 1.0), (x: 5.0, y: 1.0), (x: 5.0, y: 2.0), (x: 4.0, y: 2.0)];
        AreaIndex::new(
            [("a", a), ("b", b), ("c", c), ("d", d)]
                .into_iter()
                .map(|(k, p)| (k.to_owned(), MultiPolygon::new(vec![p])))
                .collect(),
        )
    }

    #[test]
    fn points_inside_find_their_area() {
        let index = city();
        assert_eq!(index.locate(0.5, 0.5), Some("a"));
        assert_eq!(index.locate(1.5, 0.5), Some("b"));
        assert_eq!(index.locate(3.5, 2.5), Some("c"));
    }

    #[test]
    fn a_point_in_a_hole_belongs_to_the_area_filling_it_not_the_one_around_it() {
        assert_eq!(city().locate(4.5, 1.5), Some("d"));
    }

    #[test]
    fn a_point_on_a_shared_edge_goes_to_the_first_area_of_the_set() {
        let index = city();
        assert_eq!(index.locate(1.0, 0.5), Some("a"));
        assert_eq!(index.locate(1.0, 1.0), Some("a"), "a shared corner");
        // The hole's edge is shared by c (around) and d (inside): c comes first.
        assert_eq!(index.locate(4.0, 1.5), Some("c"));
    }

    #[test]
    fn a_point_on_an_outer_edge_is_inside() {
        let index = city();
        assert_eq!(index.locate(0.0, 0.5), Some("a"));
        assert_eq!(index.locate(2.0, 0.0), Some("b"));
    }

    #[test]
    fn points_outside_every_area_are_outside() {
        let index = city();
        assert_eq!(index.locate(2.5, 0.5), None, "between b and c");
        assert_eq!(index.locate(-0.000_001, 0.5), None);
        assert_eq!(index.locate(0.5, 1.000_001), None);
        assert_eq!(index.locate(f64::NAN, 0.5), None);
    }
}
