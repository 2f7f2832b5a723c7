//! One area of an area set, with its boundary and drawn map path (table `area`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "area")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub area_set_id: i64,
    pub key: String,
    pub position: i32,
    pub name: String,
    /// Translated names: a JSON object by language code.
    pub names: String,
    /// GeoJSON MultiPolygon, longitude/latitude.
    pub boundary: String,
    pub map_path: String,
    pub land_square_metres: f64,
    /// Other names residents know the area by, separated by `;` (`domain::geography::names`).
    pub aliases: String,
    /// Where a grouping area's name is written on the map: `x y` in map units ("" for others).
    pub map_label: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
