//! Placing residents in areas, on Charlotte's 462 neighborhood profile areas:
//! 10,000 point-in-polygon lookups through the R-tree index (checked against a plain loop over
//! every polygon), plus the one-off costs of an import: reading and checking the file
//! (validity, overlaps, gaps) and drawing the map.
//!
//! Run: `cargo bench -p canvass-app --features ssr --bench area_lookup`

use std::hint::black_box;
use std::time::Instant;

use canvass_app::domain::geography::boundaries::{BoundaryOptions, read_boundaries};
use canvass_app::domain::geography::index::AreaIndex;
use canvass_app::domain::geography::map::{DEFAULT_VERTEX_BUDGET, draw_map};
use canvass_app::domain::geography::projection::extent_of;
use geo::{Contains, Coord, MultiPolygon};

const CHARLOTTE: &str = include_str!("../../server/demo-data/charlotte/geography.geojson.json");
const LOOKUPS: usize = 10_000;

fn main() {
    let started = Instant::now();
    let boundaries = read_boundaries(CHARLOTTE, &BoundaryOptions::default(), &mut |_, _| {}).expect("valid file");
    let read_ms = started.elapsed().as_secs_f64() * 1000.0;

    let shapes: Vec<MultiPolygon<f64>> = boundaries.areas.iter().map(|a| a.shape.clone()).collect();
    let started = Instant::now();
    let map = draw_map(&shapes, DEFAULT_VERTEX_BUDGET);
    let draw_ms = started.elapsed().as_secs_f64() * 1000.0;

    let started = Instant::now();
    let index = AreaIndex::new(boundaries.areas.iter().map(|a| (a.key.clone(), a.shape.clone())).collect());
    let build_ms = started.elapsed().as_secs_f64() * 1000.0;

    // Deterministic pseudo-random points over the county's bounding box.
    let extent = extent_of(&shapes).expect("areas");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let points: Vec<(f64, f64)> = (0..LOOKUPS)
        .map(|_| (extent.min().x + next() * extent.width(), extent.min().y + next() * extent.height()))
        .collect();

    let mut runs = Vec::new();
    let mut found = 0;
    for _ in 0..5 {
        let started = Instant::now();
        found = points.iter().filter(|(x, y)| black_box(index.locate(*x, *y)).is_some()).count();
        runs.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    runs.sort_by(f64::total_cmp);

    let started = Instant::now();
    let mut disagreements = 0;
    for (x, y) in &points {
        let point = Coord { x: *x, y: *y };
        let brute = boundaries.areas.iter().find(|a| a.shape.contains(&point)).map(|a| a.key.as_str());
        let indexed = index.locate(*x, *y);
        // Points exactly on an edge may differ (contains excludes the boundary); random points never are.
        if brute != indexed {
            disagreements += 1;
        }
    }
    let brute_ms = started.elapsed().as_secs_f64() * 1000.0;

    println!(
        "areas: {}, file vertices read and checked in {read_ms:.0} ms (validity, overlaps, gaps: {} warnings)",
        index.len(),
        boundaries.warnings.len()
    );
    println!("map drawn in {draw_ms:.0} ms: {} vertices, view box 1000 × {:.0}", map.vertices, map.height);
    println!("index built in {build_ms:.1} ms");
    println!(
        "{LOOKUPS} lookups: median {:.1} ms, best {:.1} ms, worst {:.1} ms of 5 runs ({:.0} lookups/s); {found} inside an area",
        runs[2],
        runs[0],
        runs[4],
        LOOKUPS as f64 / (runs[2] / 1000.0)
    );
    println!(
        "a plain loop over every polygon: {brute_ms:.0} ms for the same {LOOKUPS} (check: {disagreements} disagreements)"
    );
    assert_eq!(disagreements, 0, "the index must agree with the plain loop");
}
