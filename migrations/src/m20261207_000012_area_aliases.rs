//! `area.aliases`: the other names residents know an area by ("Plaza Midwood" for "NPA 123",
//! "Midwood"), separated by `;`, searched by the area picker (issue 16). Empty for every area
//! until a city imports them (`canvass areas names`, or the area set's page).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Area::Table)
                    .add_column(ColumnDef::new(Area::Aliases).text().not_null().default(""))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Area::Table).drop_column(Area::Aliases).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Area {
    Table,
    Aliases,
}
