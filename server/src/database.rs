//! Opening the database and bringing its schema up to date.

use std::time::Duration;

use anyhow::{Context, bail};
use canvass_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};

use crate::config::DatabaseUrl;

/// Opens a connection pool. For SQLite, the file and its folder are created when missing, and
/// every connection uses WAL (readers never block the writer), `synchronous = FULL` (a commit is
/// on disk before it returns: a resident's response is never acknowledged and then lost to a power
/// cut; responses are committed in groups so this costs one sync per group), foreign keys, and a
/// busy timeout so that concurrent writers wait instead of failing.
pub async fn connect(url: &DatabaseUrl) -> anyhow::Result<DatabaseConnection> {
    let mut options = match url {
        DatabaseUrl::Sqlite { path } => {
            if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder)
                    .with_context(|| format!("could not create the data folder {}", folder.display()))?;
            }
            let mut options = ConnectOptions::new(format!("sqlite://{}?mode=rwc", path.display()));
            options.map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    // Readers map the file instead of copying pages: with WAL, every write makes
                    // other connections re-read what changed, and thousands of writes a second
                    // made those copies the largest cost (docs/BENCHMARKS.md).
                    .pragma("mmap_size", "268435456")
            });
            options
        }
        DatabaseUrl::Postgres { url } => {
            let mut options = ConnectOptions::new(url.clone());
            options.max_connections(20);
            options
        }
    };
    options.connect_timeout(Duration::from_secs(10)).acquire_timeout(Duration::from_secs(10)).sqlx_logging(false);
    Database::connect(options).await.with_context(|| format!("could not open the database {}", url.display()))
}

/// Applies pending migrations, after refusing a database that a newer Canvass has migrated.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    refuse_newer_schema(db).await?;
    Migrator::up(db, None).await.context("could not bring the database schema up to date")
}

/// Fails when the database has migrations this build does not know: running an older Canvass on
/// it could misread or damage data written by the newer one.
pub async fn refuse_newer_schema(db: &DatabaseConnection) -> anyhow::Result<()> {
    let known: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
    let applied = applied_migrations(db).await?;
    let unknown: Vec<&String> = applied.iter().filter(|name| !known.contains(name)).collect();
    if let Some(newest) = unknown.last() {
        bail!(
            "this database was set up by a newer version of Canvass (it has schema change {newest:?}, \
             which this version does not know). Upgrade Canvass, or use another database"
        );
    }
    Ok(())
}

/// Names of applied migrations, oldest first; none for a fresh database.
async fn applied_migrations(db: &DatabaseConnection) -> anyhow::Result<Vec<String>> {
    let backend = db.get_database_backend();
    let table_exists = match backend {
        sea_orm::DatabaseBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'seaql_migrations'"
        }
        _ => {
            "SELECT table_name AS name FROM information_schema.tables WHERE table_name = 'seaql_migrations' AND table_schema = current_schema()"
        }
    };
    if db.query_one_raw(Statement::from_string(backend, table_exists)).await?.is_none() {
        return Ok(Vec::new());
    }
    let rows = db
        .query_all_raw(Statement::from_string(backend, "SELECT version FROM seaql_migrations ORDER BY version"))
        .await?;
    rows.iter().map(|row| row.try_get::<String>("", "version").map_err(Into::into)).collect()
}
