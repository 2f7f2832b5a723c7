//! What the benchmarks share: their command-line flags, a database per engine (SQLite in a
//! temporary folder, or a PostgreSQL database created and dropped), and p50/p90 timing.

#![allow(dead_code, reason = "each benchmark uses the part of this it needs")]

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database};

/// The benchmark's command line: `--flag value` pairs and bare `--flags`.
pub struct Args(Vec<String>);

impl Args {
    pub fn read() -> Self {
        Args(std::env::args().collect())
    }

    /// The value after `flag`, parsed; `default` when absent or unreadable.
    pub fn value<T: std::str::FromStr>(&self, flag: &str, default: T) -> T {
        self.0.iter().position(|a| a == flag).and_then(|i| self.0.get(i + 1)?.parse().ok()).unwrap_or(default)
    }

    /// Whether a bare flag is given.
    pub fn has(&self, flag: &str) -> bool {
        self.0.iter().any(|a| a == flag)
    }

    /// `--engine sqlite|postgres|both` (default both).
    pub fn engines(&self) -> Vec<&'static str> {
        match self.value("--engine", String::new()).as_str() {
            "sqlite" => vec!["sqlite"],
            "postgres" => vec!["postgres"],
            _ => vec!["sqlite", "postgres"],
        }
    }
}

/// A database for one run: an SQLite file in a temporary folder, or a fresh PostgreSQL database
/// at `CANVASS_BENCH_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`),
/// dropped by [`BenchDatabase::drop_it`].
pub struct BenchDatabase {
    pub url: String,
    cleanup: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl BenchDatabase {
    /// A new, empty database on `engine`; `name` tells PostgreSQL databases of different
    /// benchmarks apart.
    pub async fn create(engine: &str, name: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        if engine == "sqlite" {
            let url = format!("sqlite://{}", dir.path().join("bench.db").display());
            return BenchDatabase { url, cleanup: None, _dir: dir };
        }
        let admin = std::env::var("CANVASS_BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let name = format!("canvass_{name}_bench_{}", std::process::id());
        let db = Database::connect(&admin).await.expect("PostgreSQL for the benchmark");
        db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await.expect("drop");
        db.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create");
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base).to_owned();
        BenchDatabase { url: format!("{base}/{name}"), cleanup: Some((admin, name)), _dir: dir }
    }

    /// Drops the PostgreSQL database (the SQLite folder goes with `self`).
    pub async fn drop_it(self) {
        if let Some((admin, name)) = self.cleanup {
            let db = Database::connect(&admin).await.expect("PostgreSQL");
            let _ = db.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
        }
    }
}

/// A duration in milliseconds, one decimal.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// p50 and p90 of `runs` runs after one warm-up.
pub async fn timings<F, Fut>(runs: usize, mut f: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    std::hint::black_box(f().await);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(f().await);
        times.push(start.elapsed());
    }
    times.sort();
    (times[times.len() / 2], times[(times.len() * 9 / 10).min(times.len() - 1)])
}
