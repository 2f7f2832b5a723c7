//! What the benchmarks share: their command-line flags, a database per engine (SQLite in a
//! temporary folder, or a PostgreSQL database created and dropped), and p50/p90 timing.

#![allow(dead_code, reason = "each benchmark uses the part of this it needs")]

use std::process::{Child, Command, Stdio};
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

/// The `canvass` binary the benchmarks drive.
pub const CANVASS: &str = env!("CARGO_BIN_EXE_canvass");

/// Runs a `canvass` command on the database at `url`; its standard output.
pub fn canvass(args: &[&str], url: &str) -> String {
    let out = Command::new(CANVASS).args(args).env("CANVASS_DATABASE_URL", url).output().expect("run canvass");
    assert!(out.status.success(), "canvass {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A folder that passes for the built site: the load generators never download the browser
/// files, and `serve` only checks that they exist.
pub fn placeholder_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("site dir");
    std::fs::create_dir_all(site.path().join("pkg")).expect("pkg dir");
    for file in ["canvass.js", "canvass.wasm", "canvass.css"] {
        std::fs::write(site.path().join("pkg").join(file), "").expect("placeholder");
    }
    site
}

/// A running `canvass serve`, stopped (SIGKILL) when dropped.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `canvass serve` on `port` (no open-link limit) and waits until `/healthz` answers 200.
pub async fn serve(url: &str, port: u16, site: &std::path::Path) -> Server {
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(CANVASS)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--public-url", &base])
        .args(["--responses-per-address-per-hour", "0"])
        .arg("--site-root")
        .arg(site)
        .env("CANVASS_DATABASE_URL", url)
        .env("CANVASS_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start canvass serve");
    let server = Server(child);
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("canvass serve did not answer on port {port}");
}
