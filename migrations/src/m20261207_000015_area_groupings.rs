//! Area groupings (roll-ups): an area set whose areas are unions of another set's areas, such as
//! City Council districts made of neighborhood profile areas (issues 16 and 17).
//!
//! - `area_set.grouping_of`: the set whose areas a grouping is made of (`NULL` for a set
//!   imported from boundaries). Removed with that set by the service, not by a foreign key
//!   (SQLite cannot add one to an existing table).
//! - `area_set.on_picker`: the grouping drawn as labeled outlines on residents' area picker, to
//!   tap and zoom into (at most one per set).
//! - `area.map_label`: where a grouping area's name is written on the map (`x y` in map units,
//!   a point inside the area); empty for other areas.
//! - `area_member`: which areas of the finer set make up each area of a grouping. An area may be
//!   in two groups (an NPA that straddles a district line).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(AreaSet::Table)
                    .add_column(ColumnDef::new(AreaSet::GroupingOf).big_integer().null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AreaSet::Table)
                    .add_column(ColumnDef::new(AreaSet::OnPicker).boolean().not_null().default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Area::Table)
                    .add_column(ColumnDef::new(Area::MapLabel).text().not_null().default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AreaMember::Table)
                    .col(ColumnDef::new(AreaMember::Id).big_integer().not_null().auto_increment().primary_key())
                    // The grouping's area.
                    .col(ColumnDef::new(AreaMember::AreaId).big_integer().not_null())
                    // An area of the finer set inside it.
                    .col(ColumnDef::new(AreaMember::MemberAreaId).big_integer().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_area_member_area")
                            .from(AreaMember::Table, AreaMember::AreaId)
                            .to(Area::Table, Area::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_area_member_member")
                            .from(AreaMember::Table, AreaMember::MemberAreaId)
                            .to(Area::Table, Area::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_area_member")
                    .table(AreaMember::Table)
                    .col(AreaMember::AreaId)
                    .col(AreaMember::MemberAreaId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AreaMember::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Area::Table).drop_column(Area::MapLabel).to_owned()).await?;
        manager.alter_table(Table::alter().table(AreaSet::Table).drop_column(AreaSet::OnPicker).to_owned()).await?;
        manager.alter_table(Table::alter().table(AreaSet::Table).drop_column(AreaSet::GroupingOf).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum AreaSet {
    Table,
    GroupingOf,
    OnPicker,
}

#[derive(DeriveIden)]
enum Area {
    Table,
    Id,
    MapLabel,
}

#[derive(DeriveIden)]
enum AreaMember {
    Table,
    Id,
    AreaId,
    MemberAreaId,
}
