//! Test support: a fresh database per test and the app served on port 0.

use std::net::SocketAddr;

use canvass_app::state::{AddressLimit, AppState};
use canvass_app::web::client_address::TrustedProxies;
use canvass_server::config::DatabaseUrl;
use canvass_server::{database, http};
use leptos::config::LeptosOptions;
use rand::Rng;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::redirect::Policy;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

/// The database engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A fresh, migrated, empty database that is deleted when dropped.
pub struct TestDatabase {
    pub url: String,
    pub db: DatabaseConnection,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// Creates the database (not yet migrated).
    pub async fn create_unmigrated(engine: Engine) -> Self {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("canvass.db").display());
                let db = database::connect(&DatabaseUrl::parse(&url).expect("url")).await.expect("connect sqlite");
                Self { url, db, _dir: Some(dir), postgres: None }
            }
            Engine::Postgres => {
                let admin_url = std::env::var("CANVASS_TEST_POSTGRES_URL")
                    .expect("CANVASS_TEST_POSTGRES_URL must name a PostgreSQL server for the postgres:: tests");
                let name = format!("canvass_test_{:016x}", rand::rng().random::<u64>());
                let admin = Database::connect(&admin_url).await.expect("connect to CANVASS_TEST_POSTGRES_URL");
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
                admin.close().await.ok();
                let url = with_database(&admin_url, &name);
                let db = database::connect(&DatabaseUrl::parse(&url).expect("url")).await.expect("connect postgres");
                Self { url, db, _dir: None, postgres: Some((admin_url, name)) }
            }
        }
    }

    /// Creates and migrates the database.
    pub async fn create(engine: Engine) -> Self {
        let test_db = Self::create_unmigrated(engine).await;
        database::migrate(&test_db.db).await.expect("migrate");
        test_db
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.postgres.take() {
            // Drop runs outside async code: use a small runtime of its own on another thread.
            let _ = std::thread::spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
                    return;
                };
                runtime.block_on(async move {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                        admin.close().await.ok();
                    }
                });
            })
            .join();
        }
    }
}

/// Replaces the database name at the end of a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let server = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

/// The app, served on a free port, with its own database.
pub struct TestApp {
    pub base: String,
    pub database: TestDatabase,
    site_root: std::path::PathBuf,
}

/// Open-link responses one address may send per hour in tests (the tests all come from 127.0.0.1).
pub const TEST_RESPONSES_PER_HOUR: u32 = 20;

impl TestApp {
    /// Starts Canvass on a fresh database.
    pub async fn spawn(engine: Engine) -> Self {
        Self::spawn_with_public_url(engine, None).await
    }

    /// Starts Canvass on a fresh database, as if reached at `public_url` (else at its own
    /// address).
    pub async fn spawn_with_public_url(engine: Engine, public_url: Option<String>) -> Self {
        Self::spawn_with(engine, public_url, TrustedProxies::none()).await
    }

    /// Starts Canvass on a fresh database behind these reverse proxies.
    pub async fn spawn_behind_proxies(engine: Engine, trusted: &str) -> Self {
        Self::spawn_with(engine, None, TrustedProxies::parse(trusted).expect("proxy list")).await
    }

    async fn spawn_with(engine: Engine, public_url: Option<String>, trusted: TrustedProxies) -> Self {
        let database = TestDatabase::create(engine).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let site_root = tempfile::tempdir().expect("site dir").keep();
        let leptos_options = LeptosOptions::builder()
            .output_name("canvass")
            .site_root(site_root.to_string_lossy().into_owned())
            .site_addr(addr)
            .build();
        let state = AppState::new(
            database.db.clone(),
            leptos_options,
            public_url.unwrap_or_else(|| format!("http://{addr}")),
            AddressLimit::per_hour(TEST_RESPONSES_PER_HOUR),
        )
        .with_trusted_proxies(trusted);
        let router = http::router(state);
        tokio::spawn(async move {
            axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.expect("serve");
        });
        Self { base: format!("http://{addr}"), database, site_root }
    }

    /// The folder the app serves static files from.
    pub fn site_root(&self) -> &std::path::Path {
        &self.site_root
    }

    /// The database connection.
    pub fn db(&self) -> &DatabaseConnection {
        &self.database.db
    }

    /// A browser-like client with its own cookie jar that does not follow redirects.
    pub fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            // A request that never answers fails the test instead of stalling the whole run.
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .expect("client"),
        }
    }

    /// Creates an active account directly through the service layer.
    pub async fn add_staff(&self, email: &str, role: &str) {
        canvass_app::services::accounts::create_with_password(self.db(), email, role, PASSWORD)
            .await
            .expect("create staff account");
    }

    /// A client signed in as a new account with `role`.
    pub async fn signed_in_as(&self, role: &str) -> Client {
        let email = format!("{role}-{:08x}@city.gov", rand::rng().random::<u32>());
        self.add_staff(&email, role).await;
        let client = self.client();
        let response = client.sign_in(&email, PASSWORD).await;
        assert_eq!(response.status(), 200, "sign in as {role}");
        client
    }
}

/// The password every test account gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// An HTTP client for one visitor.
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
}

impl Client {
    /// Calls a server function as the browser's JavaScript does (form-encoded, JSON answer).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}/api/{endpoint}", self.base))
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(encode(form))
            .send()
            .await
            .expect("server function request")
    }

    /// Signs in through the server function.
    pub async fn sign_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.call("auth/login", &[("email", email), ("password", password)]).await
    }

    /// Accepts an invite through the server function.
    pub async fn accept_invite(&self, code: &str, password: &str, confirmation: &str) -> reqwest::Response {
        let form = [("code", code), ("password", password), ("password_confirmation", confirmation)];
        self.call("auth/accept-invite", &form).await
    }

    /// Who the server says is signed in (`null` for nobody).
    pub async fn me(&self) -> serde_json::Value {
        self.call("auth/me", &[]).await.json().await.expect("auth/me answers JSON")
    }

    /// Posts a form as a browser without JavaScript does.
    pub async fn post_form(&self, endpoint: &str, form: &[(&str, &str)], referer: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/api/{endpoint}", self.base))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("referer", format!("{}{referer}", self.base))
            .body(encode(form))
            .send()
            .await
            .expect("form post")
    }

    /// Loads a page as a browser does.
    pub async fn page(&self, path: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.base)).header(ACCEPT, "text/html").send().await.expect("page request")
    }
}

/// The `key` of an error answer from a server function.
pub async fn error_key(response: reqwest::Response) -> String {
    let body: serde_json::Value = response.json().await.expect("error body is JSON");
    let key = match &body {
        serde_json::Value::String(variant) => variant.clone(),
        serde_json::Value::Object(map) => {
            let (variant, fields) = map.iter().next().expect("one variant");
            fields.get("key").and_then(|k| k.as_str()).map_or_else(|| variant.clone(), str::to_owned)
        }
        other => panic!("unexpected error body {other}"),
    };
    canvass_key(&key)
}

/// Maps a serialized `AppError` variant name to its stable key.
fn canvass_key(variant_or_key: &str) -> String {
    match variant_or_key {
        "NotSignedIn" => "not_signed_in",
        "Forbidden" => "forbidden",
        "NotFound" => "not_found",
        "WrongCredentials" => "wrong_credentials",
        "TooManyAttempts" => "too_many_attempts",
        "Busy" => "busy",
        "InviteExpired" => "invite_expired",
        "Internal" => "internal",
        other => other,
    }
    .to_owned()
}

fn encode(form: &[(&str, &str)]) -> String {
    canvass_app::domain::navigation::with_query("", form).trim_start_matches('?').to_owned()
}
