//! Running counts of complete responses per area, channel, weighting profile, question and answer (table `tally_by_cell`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tally_by_cell")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub survey_id: i64,
    pub area_key: String,
    pub channel: String,
    pub age: String,
    pub race_ethnicity: String,
    pub tenure: String,
    pub question_key: String,
    pub answer_key: String,
    pub n: i64,
    pub value_sum: f64,
    pub value_sum_squares: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
