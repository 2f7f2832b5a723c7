//! Integration tests: the real app on port 0, a real database per test, on SQLite and on
//! PostgreSQL. Each scenario is an `async fn(Engine)`; `both_engines!` makes one test per engine,
//! named `sqlite::…` and `postgres::…` so that each engine's count shows in the output.

mod support;

mod accounts;
mod api_errors;
mod areas;
mod auth;
mod cli;
mod dashboards;
mod database;
mod input_limits;
mod internet;
mod openapi;
mod pages;
mod privacy;
mod resident_pages;
mod responses;
mod responses_access;
mod results;
mod roles;
mod sessions;
mod storage;
mod surveys;
mod tokens;

/// Declares each scenario once per database engine.
#[macro_export]
macro_rules! both_engines {
    ($($name:ident),* $(,)?) => {
        pub mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Engine::Sqlite).await
                }
            )*
        }
        pub mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(not(postgres_tests), ignore = "set CANVASS_TEST_POSTGRES_URL to run on PostgreSQL")]
                async fn $name() {
                    super::$name($crate::support::Engine::Postgres).await
                }
            )*
        }
    };
}
