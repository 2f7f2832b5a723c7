//! A local projection for one city: longitude and latitude to metres east and north of the city's
//! centre (equirectangular, scaled by the cosine of the centre latitude). Across a city (well
//! under a degree of latitude) it keeps shapes and areas right to a fraction of a percent, which
//! is all that area shares, overlap sizes and the drawn map need; it is not for continents.

use geo::{BoundingRect, Coord, MapCoords, MultiPolygon, Rect};

/// Mean Earth radius (IUGG), in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Longitude/latitude → metres around a centre point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LocalProjection {
    centre: Coord<f64>,
    metres_per_degree_lon: f64,
    metres_per_degree_lat: f64,
}

impl LocalProjection {
    /// A projection centred on the middle of `extent` (lon/lat).
    pub fn centred_on(extent: Rect<f64>) -> Self {
        let centre = extent.center();
        let metres_per_degree_lat = EARTH_RADIUS_M.to_radians();
        Self {
            centre,
            metres_per_degree_lat,
            metres_per_degree_lon: metres_per_degree_lat * centre.y.to_radians().cos(),
        }
    }

    /// A projection centred on the middle of all the shapes; `None` when there are none.
    pub fn for_shapes<'a>(shapes: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> Option<Self> {
        let extent = extent_of(shapes)?;
        Some(Self::centred_on(extent))
    }

    /// Metres east (x) and north (y) of the centre.
    pub fn to_metres(&self, lon_lat: Coord<f64>) -> Coord<f64> {
        Coord {
            x: (lon_lat.x - self.centre.x) * self.metres_per_degree_lon,
            y: (lon_lat.y - self.centre.y) * self.metres_per_degree_lat,
        }
    }

    /// A shape in metres.
    pub fn shape_in_metres(&self, shape: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        shape.map_coords(|c| self.to_metres(c))
    }
}

/// The bounding box of all the shapes.
pub fn extent_of<'a>(shapes: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> Option<Rect<f64>> {
    shapes.into_iter().filter_map(BoundingRect::bounding_rect).reduce(|a, b| {
        Rect::new(
            Coord { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            Coord { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, polygon};

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let p = LocalProjection::centred_on(Rect::new(Coord { x: -80.9, y: 35.1 }, Coord { x: -80.7, y: 35.3 }));
        let north = p.to_metres(Coord { x: -80.8, y: 36.2 });
        assert!((north.y - 111_195.0).abs() < 5.0, "{north:?}");
        assert!(north.x.abs() < 1e-6);
    }

    #[test]
    fn a_square_kilometre_near_charlotte_measures_one_square_kilometre() {
        // 1 km × 1 km at 35.2° N: 0.008993° of latitude, 0.011009° of longitude.
        let square = MultiPolygon::new(vec![polygon![
            (x: -80.8, y: 35.2), (x: -80.788991, y: 35.2), (x: -80.788991, y: 35.208993), (x: -80.8, y: 35.208993),
        ]]);
        let p = LocalProjection::for_shapes([&square]).expect("one shape");
        let area = p.shape_in_metres(&square).unsigned_area();
        assert!((area - 1_000_000.0).abs() < 2_000.0, "{area}");
    }
}
