//! Database schema migrations for Canvass.
//!
//! One set of migrations serves both engines: SQLite (the embedded default) and PostgreSQL
//! (production). Each migration is written with sea-query's schema builder so that the same code
//! produces the right DDL for either engine. Migrations are append-only: a released migration is
//! never edited, a change is a new migration.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_staff_accounts;
mod m20261122_000002_surveys;
mod m20261122_000003_areas;
mod m20261122_000004_responses;
mod m20261122_000005_tallies;
mod m20261122_000006_public_results;
mod m20261130_000007_latest_responses;
mod m20261202_000008_publications;
mod m20261207_000009_submission_scope;
mod m20261207_000010_hashed_sessions;
mod m20261207_000011_api_tokens;
mod m20261207_000012_area_aliases;
mod m20261207_000013_moved_responses;
mod m20261207_000014_address_points;
mod m20261207_000015_area_groupings;

/// The ordered list of every migration this build of Canvass knows.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_staff_accounts::Migration),
            Box::new(m20261122_000002_surveys::Migration),
            Box::new(m20261122_000003_areas::Migration),
            Box::new(m20261122_000004_responses::Migration),
            Box::new(m20261122_000005_tallies::Migration),
            Box::new(m20261122_000006_public_results::Migration),
            Box::new(m20261130_000007_latest_responses::Migration),
            Box::new(m20261202_000008_publications::Migration),
            Box::new(m20261207_000009_submission_scope::Migration),
            Box::new(m20261207_000010_hashed_sessions::Migration),
            Box::new(m20261207_000011_api_tokens::Migration),
            Box::new(m20261207_000012_area_aliases::Migration),
            Box::new(m20261207_000013_moved_responses::Migration),
            Box::new(m20261207_000014_address_points::Migration),
            Box::new(m20261207_000015_area_groupings::Migration),
        ]
    }
}
