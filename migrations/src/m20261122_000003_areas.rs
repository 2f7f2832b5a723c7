//! Area sets (named partitions of the city), their areas with boundaries, and population tables.
//!
//! A boundary is stored whole as GeoJSON text: it is only ever read whole (to build the lookup
//! index or apportion), and keeping it portable text means both engines store it the same way
//! without a spatial extension. The drawn map path is computed once at import and stored beside
//! it, so pages never simplify geometry on a request.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AreaSet::Table)
                    .col(ColumnDef::new(AreaSet::Id).big_integer().not_null().auto_increment().primary_key())
                    // Short id used in survey definitions and URLs, e.g. "neighborhoods".
                    .col(ColumnDef::new(AreaSet::Key).string_len(64).not_null().unique_key())
                    .col(ColumnDef::new(AreaSet::Name).text().not_null())
                    // Where the boundaries came from, shown with every map (attribution, licence).
                    .col(ColumnDef::new(AreaSet::Source).text().not_null())
                    // The set area questions use when they name none.
                    .col(ColumnDef::new(AreaSet::IsDefault).boolean().not_null())
                    // ZIP code (ZCTA) boundaries: used to turn a resident's ZIP code into the
                    // areas it overlaps, never chosen as an answer themselves.
                    .col(ColumnDef::new(AreaSet::IsZipCodes).boolean().not_null())
                    .col(ColumnDef::new(AreaSet::MapHeight).double().not_null())
                    // Bumped on every change, so servers know when their lookup index is stale.
                    .col(ColumnDef::new(AreaSet::Revision).integer().not_null())
                    .col(ColumnDef::new(AreaSet::CreatedAt).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(AreaSet::UpdatedAt).timestamp_with_time_zone().not_null())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Area::Table)
                    .col(ColumnDef::new(Area::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(Area::AreaSetId).big_integer().not_null())
                    // The id from the city's data ("12", "370630001011"); unique within its set.
                    .col(ColumnDef::new(Area::Key).string_len(128).not_null())
                    .col(ColumnDef::new(Area::Position).integer().not_null())
                    .col(ColumnDef::new(Area::Name).text().not_null())
                    // Translated names as a JSON object by language code.
                    .col(ColumnDef::new(Area::Names).text().not_null())
                    // GeoJSON MultiPolygon, longitude/latitude.
                    .col(ColumnDef::new(Area::Boundary).text().not_null())
                    .col(ColumnDef::new(Area::MapPath).text().not_null())
                    .col(ColumnDef::new(Area::LandSquareMetres).double().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_area_area_set")
                            .from(Area::Table, Area::AreaSetId)
                            .to(AreaSet::Table, AreaSet::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_area_key")
                    .table(Area::Table)
                    .col(Area::AreaSetId)
                    .col(Area::Key)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PopulationFigure::Table)
                    .col(ColumnDef::new(PopulationFigure::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(PopulationFigure::AreaId).big_integer().not_null())
                    // "total"/"all", or e.g. "age"/"under_18", "race_ethnicity"/"hispanic".
                    .col(ColumnDef::new(PopulationFigure::Dimension).string_len(64).not_null())
                    .col(ColumnDef::new(PopulationFigure::GroupKey).string_len(64).not_null())
                    .col(ColumnDef::new(PopulationFigure::Count).double().not_null())
                    .col(ColumnDef::new(PopulationFigure::Margin).double().null())
                    .col(ColumnDef::new(PopulationFigure::Year).integer().null())
                    // Where the figure came from: a file and column, or how it was apportioned.
                    .col(ColumnDef::new(PopulationFigure::Source).text().not_null())
                    .col(ColumnDef::new(PopulationFigure::Apportioned).boolean().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_population_figure_area")
                            .from(PopulationFigure::Table, PopulationFigure::AreaId)
                            .to(Area::Table, Area::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_population_figure_group")
                    .table(PopulationFigure::Table)
                    .col(PopulationFigure::AreaId)
                    .col(PopulationFigure::Dimension)
                    .col(PopulationFigure::GroupKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PopulationFigure::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Area::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AreaSet::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum AreaSet {
    Table,
    Id,
    Key,
    Name,
    Source,
    IsDefault,
    IsZipCodes,
    MapHeight,
    Revision,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
#[expect(clippy::enum_variant_names, reason = "the column is area_set_id")]
enum Area {
    Table,
    Id,
    AreaSetId,
    Key,
    Position,
    Name,
    Names,
    Boundary,
    MapPath,
    LandSquareMetres,
}

#[derive(DeriveIden)]
enum PopulationFigure {
    Table,
    Id,
    AreaId,
    Dimension,
    GroupKey,
    Count,
    Margin,
    Year,
    Source,
    Apportioned,
}
