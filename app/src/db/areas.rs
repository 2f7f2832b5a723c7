//! Queries on area sets, their areas and population figures.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use time::OffsetDateTime;

use super::entities::{address_point, area, area_member, area_set, population_figure};

pub type AreaSetRow = area_set::Model;
pub type AreaRow = area::Model;
pub type FigureRow = population_figure::Model;

/// An area ready to store: the domain's boundary with its drawn path and size.
pub struct NewArea {
    pub key: String,
    pub name: String,
    pub names_json: String,
    pub boundary_geojson: String,
    pub map_path: String,
    pub land_square_metres: f64,
    /// Where a grouping area's name goes on the map (`x y`); empty for other areas.
    pub map_label: String,
    /// A grouping area's members: ids of the finer set's areas (empty for other areas).
    pub members: Vec<i64>,
}

/// A figure ready to store, for an area given by its key.
pub struct NewFigure {
    pub area_key: String,
    pub dimension: String,
    pub group_key: String,
    pub count: f64,
    pub margin: Option<f64>,
    pub year: Option<i32>,
    pub source: String,
    pub apportioned: bool,
}

/// The ZIP code set, if the city imported one.
pub async fn find_zip_codes(db: &DatabaseConnection) -> Result<Option<AreaSetRow>, DbErr> {
    area_set::Entity::find()
        .filter(area_set::Column::IsZipCodes.eq(true))
        .order_by_asc(area_set::Column::Id)
        .one(db)
        .await
}

/// Every area set, default first, then by name.
pub async fn list_sets(db: &DatabaseConnection) -> Result<Vec<AreaSetRow>, DbErr> {
    area_set::Entity::find()
        .order_by_desc(area_set::Column::IsDefault)
        .order_by_asc(area_set::Column::Name)
        .all(db)
        .await
}

/// The set with this key; the default set when `key` is `None`.
pub async fn find_set(db: &DatabaseConnection, key: Option<&str>) -> Result<Option<AreaSetRow>, DbErr> {
    match key {
        Some(key) => area_set::Entity::find().filter(area_set::Column::Key.eq(key)).one(db).await,
        None => area_set::Entity::find().filter(area_set::Column::IsDefault.eq(true)).one(db).await,
    }
}

/// The areas of a set in the set's order.
pub async fn areas(db: &impl ConnectionTrait, set_id: i64) -> Result<Vec<AreaRow>, DbErr> {
    area::Entity::find().filter(area::Column::AreaSetId.eq(set_id)).order_by_asc(area::Column::Position).all(db).await
}

/// A set's areas as (id, key, name) in the set's order, without their boundaries and maps
/// (what results need: a few kilobytes instead of megabytes).
pub async fn area_names(db: &impl ConnectionTrait, set_id: i64) -> Result<Vec<(i64, String, String)>, DbErr> {
    area::Entity::find()
        .select_only()
        .columns([area::Column::Id, area::Column::Key, area::Column::Name])
        .filter(area::Column::AreaSetId.eq(set_id))
        .order_by_asc(area::Column::Position)
        .into_tuple()
        .all(db)
        .await
}

/// A set's population figures as (area id, dimension, group, count, margin of error): what
/// results need, in one round trip.
pub async fn figure_counts(
    db: &impl ConnectionTrait,
    set_id: i64,
) -> Result<Vec<(i64, String, String, f64, Option<f64>)>, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let mut select = Query::select();
    select
        .columns([
            (population_figure::Entity, population_figure::Column::AreaId),
            (population_figure::Entity, population_figure::Column::Dimension),
            (population_figure::Entity, population_figure::Column::GroupKey),
            (population_figure::Entity, population_figure::Column::Count),
            (population_figure::Entity, population_figure::Column::Margin),
        ])
        .from(population_figure::Entity)
        .inner_join(
            area::Entity,
            Expr::col((area::Entity, area::Column::Id))
                .equals((population_figure::Entity, population_figure::Column::AreaId)),
        )
        .and_where(Expr::col((area::Entity, area::Column::AreaSetId)).eq(set_id));
    super::rows_as_json(db, &select, &["area_id", "dimension", "group_key", "count", "margin"]).await
}

/// Every population figure of a set's areas.
pub async fn figures(db: &DatabaseConnection, set_id: i64) -> Result<Vec<FigureRow>, DbErr> {
    let area_ids: Vec<i64> = area_names(db, set_id).await?.into_iter().map(|a| a.0).collect();
    let mut rows = Vec::new();
    // Chunked so the IN list stays well inside every engine's parameter limit.
    for chunk in area_ids.chunks(500) {
        rows.extend(
            population_figure::Entity::find()
                .filter(population_figure::Column::AreaId.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    Ok(rows)
}

/// A set's identity as stored.
pub struct NewSet<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub source: &'a str,
    pub is_zip_codes: bool,
    pub map_height: f64,
    /// A grouping: the set its areas are made of.
    pub grouping_of: Option<i64>,
    /// A grouping drawn on that set's area picker (the set's other groupings then are not).
    pub on_picker: bool,
}

/// Stores a new set and its areas in one transaction. The first set of areas (not ZIP codes)
/// stored becomes the default.
pub async fn insert_set(db: &DatabaseConnection, new: NewSet<'_>, areas: Vec<NewArea>) -> Result<AreaSetRow, DbErr> {
    let now = OffsetDateTime::now_utc();
    let txn = db.begin().await?;
    let is_first = !new.is_zip_codes
        && new.grouping_of.is_none()
        && area_set::Entity::find().filter(area_set::Column::IsZipCodes.eq(false)).one(&txn).await?.is_none();
    if let (Some(of), true) = (new.grouping_of, new.on_picker) {
        area_set::Entity::update_many()
            .col_expr(area_set::Column::OnPicker, sea_orm::sea_query::Expr::value(false))
            .filter(area_set::Column::GroupingOf.eq(of))
            .exec(&txn)
            .await?;
    }
    let set = area_set::ActiveModel {
        key: Set(new.key.to_owned()),
        name: Set(new.name.to_owned()),
        source: Set(new.source.to_owned()),
        is_default: Set(is_first),
        is_zip_codes: Set(new.is_zip_codes),
        map_height: Set(new.map_height),
        revision: Set(1),
        grouping_of: Set(new.grouping_of),
        on_picker: Set(new.on_picker),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let members: Vec<(String, Vec<i64>)> = areas.iter().map(|a| (a.key.clone(), a.members.clone())).collect();
    let rows: Vec<area::ActiveModel> = areas
        .into_iter()
        .enumerate()
        .map(|(position, a)| area::ActiveModel {
            area_set_id: Set(set.id),
            key: Set(a.key),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            name: Set(a.name),
            names: Set(a.names_json),
            boundary: Set(a.boundary_geojson),
            map_path: Set(a.map_path),
            land_square_metres: Set(a.land_square_metres),
            map_label: Set(a.map_label),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(100) {
        area::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    if members.iter().any(|(_, m)| !m.is_empty()) {
        let stored = self::areas(&txn, set.id).await?;
        let rows: Vec<area_member::ActiveModel> = members
            .iter()
            .filter_map(|(key, members)| Some((stored.iter().find(|a| &a.key == key)?.id, members)))
            .flat_map(|(id, members)| {
                members.iter().map(move |member| area_member::ActiveModel {
                    area_id: Set(id),
                    member_area_id: Set(*member),
                    ..Default::default()
                })
            })
            .collect();
        for chunk in rows.chunks(300) {
            area_member::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
    }
    txn.commit().await?;
    super::area_cache::forget_all();
    Ok(set)
}

/// Replaces a set's address points with these `(address, search key, area key)`, in one
/// transaction.
pub async fn replace_address_points(
    db: &DatabaseConnection,
    set_id: i64,
    points: Vec<(String, String, String)>,
) -> Result<usize, DbErr> {
    let txn = db.begin().await?;
    address_point::Entity::delete_many().filter(address_point::Column::AreaSetId.eq(set_id)).exec(&txn).await?;
    let stored = points.len();
    let rows: Vec<address_point::ActiveModel> = points
        .into_iter()
        .map(|(address, search_key, area_key)| address_point::ActiveModel {
            area_set_id: Set(set_id),
            address: Set(address),
            search_key: Set(search_key),
            area_key: Set(area_key),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        address_point::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(stored)
}

/// Whether a set has address points.
pub async fn has_address_points(db: &impl ConnectionTrait, set_id: i64) -> Result<bool, DbErr> {
    Ok(address_point::Entity::find().filter(address_point::Column::AreaSetId.eq(set_id)).one(db).await?.is_some())
}

/// The set's addresses whose search key starts with `prefix`, in order, at most `limit`.
pub async fn addresses_starting_with(
    db: &impl ConnectionTrait,
    set_id: i64,
    prefix: &str,
    limit: u64,
) -> Result<Vec<address_point::Model>, DbErr> {
    address_point::Entity::find()
        .filter(address_point::Column::AreaSetId.eq(set_id))
        .filter(address_point::Column::SearchKey.starts_with(prefix))
        .order_by_asc(address_point::Column::SearchKey)
        .limit(limit)
        .all(db)
        .await
}

/// Gives the named areas of a set these other names (`(area key, names as stored)`), in one
/// transaction; areas not named keep theirs.
pub async fn set_aliases(db: &DatabaseConnection, set_id: i64, names: &[(String, String)]) -> Result<u64, DbErr> {
    let txn = db.begin().await?;
    let mut changed = 0;
    for (key, aliases) in names {
        changed += area::Entity::update_many()
            .col_expr(area::Column::Aliases, sea_orm::sea_query::Expr::value(aliases.clone()))
            .filter(area::Column::AreaSetId.eq(set_id))
            .filter(area::Column::Key.eq(key.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
    }
    txn.commit().await?;
    super::area_cache::forget_all();
    Ok(changed)
}

/// Replaces, for every (dimension, group) present in `figures`, the set's figures with these,
/// in one transaction; other groups are left as they were.
pub async fn replace_figures(
    db: &DatabaseConnection,
    set: &AreaSetRow,
    figures: Vec<NewFigure>,
) -> Result<usize, DbErr> {
    let txn = db.begin().await?;
    let areas = areas(&txn, set.id).await?;
    let id_of = |key: &str| areas.iter().find(|a| a.key == key).map(|a| a.id);
    let ids: Vec<i64> = areas.iter().map(|a| a.id).collect();
    let mut groups: Vec<(String, String)> =
        figures.iter().map(|f| (f.dimension.clone(), f.group_key.clone())).collect();
    groups.sort();
    groups.dedup();
    for (dimension, group) in &groups {
        for chunk in ids.chunks(500) {
            population_figure::Entity::delete_many()
                .filter(population_figure::Column::AreaId.is_in(chunk.to_vec()))
                .filter(population_figure::Column::Dimension.eq(dimension.as_str()))
                .filter(population_figure::Column::GroupKey.eq(group.as_str()))
                .exec(&txn)
                .await?;
        }
    }
    let rows: Vec<population_figure::ActiveModel> = figures
        .into_iter()
        .filter_map(|f| {
            Some(population_figure::ActiveModel {
                area_id: Set(id_of(&f.area_key)?),
                dimension: Set(f.dimension),
                group_key: Set(f.group_key),
                count: Set(f.count),
                margin: Set(f.margin),
                year: Set(f.year),
                source: Set(f.source),
                apportioned: Set(f.apportioned),
                ..Default::default()
            })
        })
        .collect();
    let stored = rows.len();
    for chunk in rows.chunks(200) {
        population_figure::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    bump_revision(&txn, set).await?;
    txn.commit().await?;
    Ok(stored)
}

async fn bump_revision(db: &impl ConnectionTrait, set: &AreaSetRow) -> Result<(), DbErr> {
    let mut active: area_set::ActiveModel = set.clone().into();
    active.revision = Set(set.revision + 1);
    active.updated_at = Set(OffsetDateTime::now_utc());
    active.update(db).await.map(|_| ())
}

/// The groupings made of a set's areas.
pub async fn groupings_of(db: &impl ConnectionTrait, set_id: i64) -> Result<Vec<AreaSetRow>, DbErr> {
    area_set::Entity::find()
        .filter(area_set::Column::GroupingOf.eq(set_id))
        .order_by_asc(area_set::Column::Id)
        .all(db)
        .await
}

/// `(grouping area id, member area id)` for every area of a grouping.
pub async fn members_of(db: &impl ConnectionTrait, grouping_set_id: i64) -> Result<Vec<(i64, i64)>, DbErr> {
    let ids: Vec<i64> = areas(db, grouping_set_id).await?.into_iter().map(|a| a.id).collect();
    let mut pairs = Vec::new();
    for chunk in ids.chunks(500) {
        let rows = area_member::Entity::find()
            .filter(area_member::Column::AreaId.is_in(chunk.to_vec()))
            .order_by_asc(area_member::Column::Id)
            .all(db)
            .await?;
        pairs.extend(rows.into_iter().map(|r| (r.area_id, r.member_area_id)));
    }
    Ok(pairs)
}

/// Makes this grouping the one drawn on its set's area picker.
pub async fn draw_on_picker(db: &DatabaseConnection, grouping: &AreaSetRow) -> Result<(), DbErr> {
    let Some(of) = grouping.grouping_of else { return Ok(()) };
    let txn = db.begin().await?;
    area_set::Entity::update_many()
        .col_expr(area_set::Column::OnPicker, sea_orm::sea_query::Expr::value(false))
        .filter(area_set::Column::GroupingOf.eq(of))
        .exec(&txn)
        .await?;
    let mut active: area_set::ActiveModel = grouping.clone().into();
    active.on_picker = Set(true);
    active.update(&txn).await?;
    txn.commit().await
}

/// Makes this set the one area questions use when they name none.
pub async fn make_default(db: &DatabaseConnection, set: &AreaSetRow) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    area_set::Entity::update_many()
        .col_expr(area_set::Column::IsDefault, sea_orm::sea_query::Expr::value(false))
        .exec(&txn)
        .await?;
    let mut active: area_set::ActiveModel = set.clone().into();
    active.is_default = Set(true);
    active.update(&txn).await?;
    txn.commit().await?;
    super::area_cache::forget_all();
    Ok(())
}
