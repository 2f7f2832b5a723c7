//! Drawing an area set as SVG paths: projected so shapes look right at the city's latitude,
//! simplified (Visvalingam–Whyatt, topology-preserving) until the whole map fits a vertex budget,
//! and scaled to a 1,000-unit-wide view box. Drawn once when boundaries are imported.

use std::fmt::Write;

use geo::{CoordsIter, LineString, MultiPolygon, SimplifyVwPreserve};

use super::projection::{LocalProjection, extent_of};

/// The width of every map's view box; the height follows the city's shape.
pub const MAP_WIDTH: f64 = 1000.0;

/// Enough vertices for a city of a few hundred areas to look right on a laptop screen while the
/// whole map stays a few tens of kilobytes compressed.
pub const DEFAULT_VERTEX_BUDGET: usize = 12_000;

/// The drawn map: view box height and one SVG path per area, in the input order.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnMap {
    pub height: f64,
    pub paths: Vec<String>,
    pub vertices: usize,
}

/// Draws the shapes (lon/lat). Holes are kept; draw with `fill-rule: evenodd`.
pub fn draw_map(shapes: &[MultiPolygon<f64>], vertex_budget: usize) -> DrawnMap {
    match MapFrame::for_shapes(shapes) {
        Some(frame) => frame.draw(shapes, vertex_budget),
        None => DrawnMap { height: 0.0, paths: Vec::new(), vertices: 0 },
    }
}

/// Where a map's shapes go in its view box: the projection, scale and corner fitted to a set's
/// shapes. Other shapes drawn in the same frame land on the same spots — a grouping's outlines
/// over the finer set's map.
#[derive(Clone, Copy, Debug)]
pub struct MapFrame {
    projection: LocalProjection,
    min_x: f64,
    max_y: f64,
    scale: f64,
    /// The view box height.
    pub height: f64,
}

impl MapFrame {
    /// The frame fitted to these shapes (lon/lat); `None` without any.
    pub fn for_shapes(shapes: &[MultiPolygon<f64>]) -> Option<Self> {
        let projection = LocalProjection::for_shapes(shapes)?;
        let projected: Vec<MultiPolygon<f64>> = shapes.iter().map(|s| projection.shape_in_metres(s)).collect();
        let extent = extent_of(&projected)?;
        let scale = if extent.width() > 0.0 { MAP_WIDTH / extent.width() } else { 1.0 };
        let height = (extent.height() * scale * 10.0).round() / 10.0;
        Some(Self { projection, min_x: extent.min().x, max_y: extent.max().y, scale, height })
    }

    /// A point (lon/lat) in map units.
    pub fn to_map(&self, lon_lat: geo::Coord<f64>) -> (f64, f64) {
        let c = self.projection.to_metres(lon_lat);
        ((c.x - self.min_x) * self.scale, (self.max_y - c.y) * self.scale)
    }

    /// Draws shapes (lon/lat) in this frame, simplified until they fit the vertex budget.
    pub fn draw(&self, shapes: &[MultiPolygon<f64>], vertex_budget: usize) -> DrawnMap {
        let projected: Vec<MultiPolygon<f64>> = shapes.iter().map(|s| self.projection.shape_in_metres(s)).collect();
        // Start by dropping what is smaller than a tenth of a square unit on the map, then coarsen.
        let mut tolerance = 0.1 / (self.scale * self.scale);
        let mut simplified = projected.clone();
        for _ in 0..16 {
            simplified = projected.iter().map(|s| s.simplify_vw_preserve(tolerance)).collect();
            if simplified.iter().map(CoordsIter::coords_count).sum::<usize>() <= vertex_budget {
                break;
            }
            tolerance *= 2.0;
        }
        let (min_x, max_y, scale) = (self.min_x, self.max_y, self.scale);
        let mut vertices = 0;
        let paths = simplified
            .iter()
            .map(|shape| {
                let mut path = String::new();
                for polygon in shape {
                    for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                        vertices += ring_path(&mut path, ring, |c| ((c.x - min_x) * scale, (max_y - c.y) * scale));
                    }
                }
                path
            })
            .collect();
        DrawnMap { height: self.height, paths, vertices }
    }
}

/// Appends one ring as `M x y L … Z` with one decimal, skipping points that round together.
/// Returns the vertices written.
fn ring_path(path: &mut String, ring: &LineString<f64>, to_map: impl Fn(geo::Coord<f64>) -> (f64, f64)) -> usize {
    let mut points: Vec<(i64, i64)> = Vec::new();
    for c in ring.coords() {
        let (x, y) = to_map(*c);
        let p = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
        if points.last() != Some(&p) {
            points.push(p);
        }
    }
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    if points.len() < 3 {
        return 0;
    }
    for (i, (x, y)) in points.iter().enumerate() {
        let command = if i == 0 { 'M' } else { 'L' };
        let _ = write!(path, "{command}{} {}", tenths(*x), tenths(*y));
    }
    path.push('Z');
    points.len()
}

/// The bounding box (x, y, width, height) of SVG path data written as `M x y L x y … Z`.
pub fn path_bounds(path: &str) -> Option<(f64, f64, f64, f64)> {
    let numbers: Vec<f64> = path
        .split(|c: char| c == 'M' || c == 'L' || c == 'Z' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for point in numbers.chunks_exact(2) {
        min_x = min_x.min(point[0]);
        max_x = max_x.max(point[0]);
        min_y = min_y.min(point[1]);
        max_y = max_y.max(point[1]);
    }
    (min_x <= max_x).then_some((min_x, min_y, max_x - min_x, max_y - min_y))
}

fn tenths(value: i64) -> String {
    if value % 10 == 0 { (value / 10).to_string() } else { format!("{:.1}", value as f64 / 10.0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn a_square_city_is_drawn_square_at_its_latitude() {
        // 0.01° of longitude at 60° N is half as long as 0.01° of latitude.
        let shape = MultiPolygon::new(vec![
            polygon![(x: 10.0, y: 60.0), (x: 10.02, y: 60.0), (x: 10.02, y: 60.01), (x: 10.0, y: 60.01)],
        ]);
        let map = draw_map(&[shape], DEFAULT_VERTEX_BUDGET);
        assert!((map.height - MAP_WIDTH).abs() < 2.0, "{}", map.height);
        // Centred on 60.005° N, so a hair taller than wide.
        assert_eq!(map.paths[0], format!("M0 {h}L1000 {h}L1000 0L0 0Z", h = map.height));
    }

    #[test]
    fn a_paths_bounds_cover_every_ring() {
        assert_eq!(path_bounds("M10 20L30 5.5L12 40ZM50 60L51 61L50 62Z"), Some((10.0, 5.5, 41.0, 56.5)));
        assert_eq!(path_bounds(""), None);
    }

    #[test]
    fn a_grouping_drawn_in_its_sets_frame_lands_on_the_same_spots() {
        let west = MultiPolygon::new(vec![
            polygon![(x: -80.9, y: 35.1), (x: -80.8, y: 35.1), (x: -80.8, y: 35.2), (x: -80.9, y: 35.2)],
        ]);
        let east = MultiPolygon::new(vec![
            polygon![(x: -80.8, y: 35.1), (x: -80.7, y: 35.1), (x: -80.7, y: 35.2), (x: -80.8, y: 35.2)],
        ]);
        let set = [west.clone(), east];
        let drawn = draw_map(&set, DEFAULT_VERTEX_BUDGET);
        let frame = MapFrame::for_shapes(&set).expect("frame");
        assert_eq!(frame.height, drawn.height);
        assert_eq!(frame.draw(std::slice::from_ref(&west), DEFAULT_VERTEX_BUDGET).paths[0], drawn.paths[0]);
        let own = MapFrame::for_shapes(std::slice::from_ref(&west)).expect("frame");
        assert_ne!(own.draw(&[west], DEFAULT_VERTEX_BUDGET).paths[0], drawn.paths[0], "a frame of its own differs");
        let (x, y) = frame.to_map(geo::Coord { x: -80.7, y: 35.1 });
        assert!((x - 1000.0).abs() < 1e-6 && (y - drawn.height).abs() < 0.1, "({x}, {y})");
    }

    #[test]
    fn holes_are_drawn_as_a_second_ring() {
        let outer = geo::LineString::from(vec![(0.0, 0.0), (0.03, 0.0), (0.03, 0.03), (0.0, 0.03), (0.0, 0.0)]);
        let hole = geo::LineString::from(vec![(0.01, 0.01), (0.02, 0.01), (0.02, 0.02), (0.01, 0.02), (0.01, 0.01)]);
        let map = draw_map(&[MultiPolygon::new(vec![geo::Polygon::new(outer, vec![hole])])], DEFAULT_VERTEX_BUDGET);
        assert_eq!(map.paths[0].matches('M').count(), 2, "{}", map.paths[0]);
        assert_eq!(map.vertices, 8);
    }

    #[test]
    fn a_detailed_boundary_is_simplified_to_the_budget() {
        // A circle-ish polygon with 2,000 vertices.
        let ring: Vec<(f64, f64)> = (0..2000)
            .map(|i| {
                let a = f64::from(i) / 2000.0 * std::f64::consts::TAU;
                (-80.8 + 0.05 * a.cos(), 35.2 + 0.04 * a.sin())
            })
            .collect();
        let shape = MultiPolygon::new(vec![geo::Polygon::new(geo::LineString::from(ring), Vec::new())]);
        let map = draw_map(&[shape], 200);
        assert!(map.vertices <= 200 && map.vertices >= 20, "{}", map.vertices);
    }
}
