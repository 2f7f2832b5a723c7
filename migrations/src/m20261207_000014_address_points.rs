//! `address_point`: a city's published address points, so that a resident can find their area by
//! typing their street address (issue 16). Each address is stored with the key of the area of
//! the set it lies in, worked out at import; the coordinates are not kept. A resident's typed
//! address is never stored: only the area they pick is.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AddressPoint::Table)
                    .col(ColumnDef::new(AddressPoint::Id).big_integer().not_null().auto_increment().primary_key())
                    .col(ColumnDef::new(AddressPoint::AreaSetId).big_integer().not_null())
                    // As the city wrote it, for the resident to recognise.
                    .col(ColumnDef::new(AddressPoint::Address).string_len(200).not_null())
                    // Lowercase letters and digits separated by single spaces: what is searched.
                    .col(ColumnDef::new(AddressPoint::SearchKey).string_len(200).not_null())
                    .col(ColumnDef::new(AddressPoint::AreaKey).string_len(64).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_address_point_area_set")
                            .from(AddressPoint::Table, AddressPoint::AreaSetId)
                            .to(AreaSet::Table, AreaSet::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_address_point_search")
                    .table(AddressPoint::Table)
                    .col(AddressPoint::AreaSetId)
                    .col(AddressPoint::SearchKey)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AddressPoint::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum AddressPoint {
    Table,
    Id,
    AreaSetId,
    Address,
    SearchKey,
    AreaKey,
}

#[derive(DeriveIden)]
enum AreaSet {
    Table,
    Id,
}
