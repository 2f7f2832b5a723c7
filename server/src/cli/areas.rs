//! `canvass areas ...` and `canvass population ...`: boundaries and population from files.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use canvass_app::domain::dashboard::words::how_many;
use canvass_app::domain::geography::boundaries::{BoundaryOptions, read_boundaries};
use canvass_app::domain::geography::population::PopulationGroup;
use canvass_app::error::AppError;
use canvass_app::models::AreaSetSummary;
use canvass_app::services::areas::{self, NewAreaSet, PopulationFile};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sea_orm::DatabaseConnection;

/// `canvass areas ...`
#[derive(Debug, Subcommand)]
pub enum AreasCommand {
    /// Import an area set from a GeoJSON file of Polygon/MultiPolygon features in longitude/latitude
    Import(Box<ImportArgs>),
    /// List area sets with their number of areas and total population
    List,
    /// Make an area set the one area questions use when they name none
    Default {
        /// The area set's id
        key: String,
    },
    /// Let residents find their area by street address: a city's address points file (CSV with
    /// address, longitude and latitude columns); replaces the set's addresses
    Addresses {
        /// The CSV file
        file: PathBuf,
        /// The area set's id
        #[arg(long)]
        set: String,
    },
    /// Group a set's areas into coarser ones (council districts, towns) from a lookup table: a CSV
    /// with `area` and `group` columns, one row per area and group. Boundaries are the areas'
    /// joined, population their sum; residents' area picker outlines the set's first grouping
    Group(GroupArgs),
    /// Outline this grouping on its set's area picker (instead of the set's other groupings)
    Outline {
        /// The grouping's id
        key: String,
    },
    /// Give areas the other names residents know them by, searched by the area picker: a CSV
    /// with `key` and `aliases` columns (several names separated by `;`, or one row per name)
    Names {
        /// The CSV file
        file: PathBuf,
        /// The area set's id
        #[arg(long)]
        set: String,
    },
}

/// Options of `canvass areas group`.
#[derive(Debug, Args)]
pub struct GroupArgs {
    /// The CSV file (area,group)
    pub file: PathBuf,
    /// The area set whose areas are grouped (e.g. npa)
    #[arg(long)]
    pub of: String,
    /// A short id for the grouping (e.g. council-districts)
    #[arg(long)]
    pub key: String,
    /// The grouping's name as staff and residents see it (e.g. "City Council districts")
    #[arg(long)]
    pub name: String,
    /// Where the lookup table comes from
    #[arg(long, default_value = "")]
    pub source: String,
    /// Outline it on residents' area picker (the set's first grouping always is)
    #[arg(long)]
    pub on_picker: bool,
}

/// Options of `canvass areas import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The GeoJSON file (a FeatureCollection, one feature per area)
    pub file: PathBuf,
    /// A short id for the set, used in survey files and links (e.g. neighborhoods)
    #[arg(long)]
    pub key: String,
    /// The set's name as staff and residents see it (e.g. "Neighborhoods")
    #[arg(long)]
    pub name: String,
    /// Where the boundaries come from, shown with maps (attribution and licence)
    #[arg(long, default_value = "")]
    pub source: String,
    /// The feature property holding each area's id
    #[arg(long, default_value = "id")]
    pub id_property: String,
    /// The feature property holding each area's name (without it, names are --name-prefix plus the id)
    #[arg(long)]
    pub name_property: Option<String>,
    /// Put before the id to make a name when there is no name property (e.g. "NPA ")
    #[arg(long, default_value = "")]
    pub name_prefix: String,
    /// A translated name, as LANGUAGE=PROPERTY (e.g. es=label_es); may be repeated
    #[arg(long = "translated-name", value_parser = parse_pair)]
    pub translated_names: Vec<(String, String)>,
    /// Import only features whose PROPERTY=VALUE (e.g. feature_type=ward)
    #[arg(long, value_parser = parse_pair)]
    pub only_where: Option<(String, String)>,
    /// These are ZIP code (ZCTA) boundaries, ids being the ZIP codes: residents can then find
    /// their area by ZIP code (the set itself is never an answer)
    #[arg(long)]
    pub zip_codes: bool,
}

/// `canvass population ...`
#[derive(Debug, Subcommand)]
pub enum PopulationCommand {
    /// Import population figures for an area set's areas from CSV (format: docs/AREAS.md)
    Import(PopulationArgs),
    /// Estimate an area set's population from another set's by land share (e.g. wards from block groups)
    Apportion {
        /// The set with population (small units such as census block groups)
        #[arg(long)]
        from: String,
        /// The set to estimate (e.g. wards)
        #[arg(long)]
        to: String,
    },
}

/// Options of `canvass population import`.
#[derive(Debug, Args)]
pub struct PopulationArgs {
    /// The CSV file
    pub file: PathBuf,
    /// The area set the file's ids belong to
    #[arg(long = "set")]
    pub set_key: String,
    /// For a yearly table (id,y_2010,y_2020,...): the group its counts are, `total` or DIMENSION:GROUP
    #[arg(long, requires = "year")]
    pub group: Option<String>,
    /// The year the figures describe; for a yearly table, the column to read
    #[arg(long)]
    pub year: Option<i32>,
    /// For a yearly table: a file of the same shape with the margins of error
    #[arg(long, requires = "group")]
    pub margins: Option<PathBuf>,
    /// Where the figures come from (shown wherever they are used); defaults to the file name
    #[arg(long)]
    pub source: Option<String>,
}

fn parse_pair(text: &str) -> Result<(String, String), String> {
    let (a, b) = text.split_once('=').ok_or_else(|| format!("expected NAME=VALUE, got {text}"))?;
    Ok((a.trim().to_owned(), b.trim().to_owned()))
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
}

/// Prints a refused file's problems (at most 30) and fails.
fn refused(path: &Path, error: AppError) -> anyhow::Error {
    match error {
        AppError::FileRefused { problems } => {
            eprintln!("{} has {} problem(s); nothing was imported:", path.display(), problems.len());
            for problem in problems.iter().take(30) {
                eprintln!("  {problem}");
            }
            if problems.len() > 30 {
                eprintln!("  … and {} more", problems.len() - 30);
            }
            anyhow::anyhow!("the file was refused")
        }
        other => anyhow::anyhow!("{other}"),
    }
}

pub async fn areas_command(db: &DatabaseConnection, command: AreasCommand) -> anyhow::Result<()> {
    match command {
        AreasCommand::Import(args) => {
            let mut set = NewAreaSet::parse(&args.key, &args.name, &args.source).map_err(|e| anyhow::anyhow!("{e}"))?;
            set.zip_codes = args.zip_codes;
            let text = read(&args.file)?;
            let options = BoundaryOptions {
                id_property: args.id_property,
                name_property: args.name_property,
                name_prefix: args.name_prefix,
                translated_names: args.translated_names,
                only_where: args.only_where,
            };
            let imported = import_file(db, set, &text, options, &args.file).await?;
            println!(
                "Imported {} into \"{}\" ({}); the map has {} vertices.",
                how_many(imported.summary.areas, "area", "areas"),
                imported.summary.name,
                imported.summary.key,
                imported.map_vertices
            );
            print_warnings(&imported.warnings);
            Ok(())
        }
        AreasCommand::List => {
            let sets = areas::list_sets(db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            if sets.is_empty() {
                println!(
                    "No area sets yet. Import one with: canvass areas import FILE --key neighborhoods --name Neighborhoods"
                );
            }
            print_sets(&sets);
            Ok(())
        }
        AreasCommand::Addresses { file, set } => {
            let text = read(&file)?;
            let imported = areas::import_address_points(db, None, &set, &text).await.map_err(|e| match e {
                AppError::NotFound => not_found(e, &set),
                other => refused(&file, other),
            })?;
            println!("Residents can now look up {} in {set}.", how_many(imported.stored, "address", "addresses"));
            if imported.outside > 0 {
                println!("  Left out, in no area of {set}: {}.", how_many(imported.outside, "address", "addresses"));
            }
            Ok(())
        }
        AreasCommand::Group(args) => {
            let text = read(&args.file)?;
            let set = NewAreaSet::parse(&args.key, &args.name, &args.source).map_err(|e| anyhow::anyhow!("{e}"))?;
            let imported =
                areas::import_grouping(db, None, &args.of, set, &text, args.on_picker).await.map_err(|e| match e {
                    AppError::NotFound => not_found(e, &args.of),
                    other => refused(&args.file, other),
                })?;
            println!(
                "{} ({}) groups the areas of {} into {}{}.",
                imported.summary.name,
                imported.summary.key,
                args.of,
                how_many(imported.summary.areas, "area", "areas"),
                if imported.summary.on_picker { ", outlined on residents' area picker" } else { "" }
            );
            if !imported.ungrouped.is_empty() {
                println!("  In no group: {}.", how_many(imported.ungrouped.len(), "area", "areas"));
            }
            if !imported.in_several.is_empty() {
                println!(
                    "  In two groups or more (counted whole in each): {}: {}.",
                    how_many(imported.in_several.len(), "area", "areas"),
                    imported.in_several.join(", ")
                );
            }
            print_sets(std::slice::from_ref(&imported.summary));
            Ok(())
        }
        AreasCommand::Outline { key } => {
            areas::draw_on_picker(db, None, &key).await.map_err(|e| match e {
                AppError::NotFound => not_found(e, &key),
                other => anyhow::anyhow!("{other}"),
            })?;
            println!("Residents' area picker now outlines {key}.");
            Ok(())
        }
        AreasCommand::Names { file, set } => {
            let text = read(&file)?;
            let named = areas::import_names(db, None, &set, &text).await.map_err(|e| match e {
                AppError::NotFound => not_found(e, &set),
                other => refused(&file, other),
            })?;
            let verb = if named == 1 { "has" } else { "have" };
            println!("{} of {set} now {verb} other names residents can search by.", how_many(named, "area", "areas"));
            Ok(())
        }
        AreasCommand::Default { key } => {
            areas::make_default(db, None, &key).await.map_err(|e| not_found(e, &key))?;
            println!("Area questions that name no set now use {key}.");
            Ok(())
        }
    }
}

/// Reads, checks and stores a boundary file, with a progress bar on a terminal.
pub async fn import_file(
    db: &DatabaseConnection,
    set: NewAreaSet,
    text: &str,
    options: BoundaryOptions,
    path: &Path,
) -> anyhow::Result<areas::ImportedAreas> {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg:24} [{bar:30}] {pos}/{len}")
            .map_or_else(|_| ProgressStyle::default_bar(), |s| s.progress_chars("=> ")),
    );
    bar.set_message("Reading areas");
    let checked = read_boundaries(text, &options, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        if done == total {
            bar.set_message("Checking overlaps, gaps");
        }
    });
    bar.finish_and_clear();
    let boundaries = checked.map_err(|problems| {
        refused(path, AppError::FileRefused { problems: problems.iter().map(ToString::to_string).collect() })
    })?;
    let spinner = ProgressBar::new_spinner();
    spinner.set_message("Drawing the map and saving");
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let result = areas::import_boundaries(db, None, set, boundaries).await;
    spinner.finish_and_clear();
    result.map_err(|e| refused(path, e))
}

fn print_warnings(warnings: &[String]) {
    if warnings.is_empty() {
        return;
    }
    println!("{} warning(s) (imported anyway; check them on a map):", warnings.len());
    for warning in warnings.iter().take(20) {
        println!("  {warning}");
    }
    if warnings.len() > 20 {
        println!("  … and {} more", warnings.len() - 20);
    }
}

fn not_found(error: AppError, key: &str) -> anyhow::Error {
    match error {
        AppError::NotFound => anyhow::anyhow!("there is no area set {key}; `canvass areas list` shows them"),
        other => anyhow::anyhow!("{other}"),
    }
}

/// A table of sets: id, areas, total population, areas without population, name.
pub fn print_sets(sets: &[AreaSetSummary]) {
    if sets.is_empty() {
        return;
    }
    println!("{:<20} {:>6} {:>12} {:>14}  NAME", "ID", "AREAS", "POPULATION", "NO POPULATION");
    for s in sets {
        let population = s.total_population.map_or_else(|| "—".to_owned(), |p| format!("{:.0}", p));
        let default = if s.is_default { " (default)" } else { "" };
        let grouping = s.grouping_of.as_ref().map(|of| format!(" (grouping of {of})")).unwrap_or_default();
        println!(
            "{:<20} {:>6} {:>12} {:>14}  {}{default}{grouping}",
            s.key, s.areas, population, s.areas_without_population, s.name
        );
        if let Some(method) = &s.apportioned_from {
            println!("{:<20} population {method}", "");
        }
    }
}

pub async fn population_command(db: &DatabaseConnection, command: PopulationCommand) -> anyhow::Result<()> {
    match command {
        PopulationCommand::Import(args) => {
            let text = read(&args.file)?;
            let file = match (args.group, args.year) {
                (Some(group), Some(year)) => {
                    let Some(group) = PopulationGroup::parse(&group) else {
                        bail!("--group must be total or DIMENSION:GROUP in lowercase, e.g. age:under_18");
                    };
                    let margins = args.margins.as_deref().map(read).transpose()?;
                    PopulationFile::Yearly { year, group, margins }
                }
                (_, year) => PopulationFile::Table { year },
            };
            let source = args
                .source
                .unwrap_or_else(|| args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
            let imported =
                areas::import_population(db, None, &args.set_key, file, &text, &source).await.map_err(|e| match e {
                    AppError::NotFound => not_found(e, &args.set_key),
                    other => refused(&args.file, other),
                })?;
            println!(
                "Imported {} figures for {} group(s): {}.",
                imported.figures,
                imported.groups.len(),
                imported.groups.join(", ")
            );
            print_sets(std::slice::from_ref(&imported.summary));
            if imported.summary.areas_without_population > 0 {
                println!(
                    "No total population for {}: shown as unknown, not zero.",
                    how_many(imported.summary.areas_without_population, "area", "areas")
                );
            }
            Ok(())
        }
        PopulationCommand::Apportion { from, to } => {
            let done = areas::apportion(db, None, &from, &to).await.map_err(|e| match e {
                AppError::NotFound => {
                    anyhow::anyhow!("there is no area set {from} or {to}; `canvass areas list` shows them")
                }
                other => anyhow::anyhow!("{other}"),
            })?;
            println!("Apportioned {} group(s) from {from} to {to} by land share.", done.groups);
            print_sets(&[done.summary]);
            if !done.areas_without.is_empty() {
                println!("No population could be estimated for: {}", done.areas_without.join(", "));
            }
            Ok(())
        }
    }
}
