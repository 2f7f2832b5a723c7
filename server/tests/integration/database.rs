//! Opening and migrating databases.

use canvass_server::database;
use sea_orm::ConnectionTrait;

use crate::support::{Engine, TestDatabase};

async fn migrating_twice_changes_nothing(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    database::migrate(&test_db.db).await.expect("second run is a no-op");
}

async fn a_database_from_a_newer_canvass_is_refused(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    test_db
        .db
        .execute_unprepared(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29990101_000001_from_the_future', 0)",
        )
        .await
        .expect("pretend a newer Canvass migrated this database");

    let err = database::migrate(&test_db.db).await.expect_err("refused").to_string();

    assert!(err.contains("newer version of Canvass"), "{err}");
    assert!(err.contains("m29990101_000001_from_the_future"), "{err}");
}

async fn sqlite_connections_use_wal_and_foreign_keys(engine: Engine) {
    if engine != Engine::Sqlite {
        return;
    }
    let test_db = TestDatabase::create(engine).await;
    let backend = test_db.db.get_database_backend();
    let mode = test_db.db.query_one_raw(sea_orm::Statement::from_string(backend, "PRAGMA journal_mode")).await;
    let mode: String = mode.expect("query").expect("row").try_get_by_index(0).expect("text");
    assert_eq!(mode.to_lowercase(), "wal");
    let fk = test_db.db.query_one_raw(sea_orm::Statement::from_string(backend, "PRAGMA foreign_keys")).await;
    let fk: i32 = fk.expect("query").expect("row").try_get_by_index(0).expect("int");
    assert_eq!(fk, 1);
}

crate::both_engines! {
    migrating_twice_changes_nothing,
    a_database_from_a_newer_canvass_is_refused,
}

#[tokio::test]
async fn sqlite_connections_use_wal_and_foreign_keys_on_sqlite() {
    sqlite_connections_use_wal_and_foreign_keys(Engine::Sqlite).await;
}
