//! The `canvass` command line.

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use canvass_app::domain::survey::SurveyKind;
use canvass_app::domain::survey::lifecycle::Action;
use canvass_app::error::AppError;
use canvass_app::services::{accounts, surveys};
use canvass_app::state::{AddressLimit, AppState};
use canvass_app::web::client_address::TrustedProxies;
use clap::{Args, Parser, Subcommand};
use leptos::config::{Env, LeptosOptions};
use sea_orm::DatabaseConnection;

use crate::config::{self, DEFAULT_DATABASE_URL, DatabaseUrl};
use crate::telemetry::{self, LogFormat};
use crate::{database, demo, http};

mod areas;
mod tokens;

/// Canvass: resident surveys and quick polls for city governments.
///
/// Canvass keeps everything in one database: an SQLite file by default (created on first run,
/// nothing to install), or PostgreSQL for production and for running several servers.
#[derive(Debug, Parser)]
#[command(name = "canvass", version, max_term_width = 100, after_help = FIRST_RUN)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

const FIRST_RUN: &str = "First run:
  canvass user add --email you@city.gov --role admin    (asks for a password)
  canvass serve                                          (then open http://127.0.0.1:3000)

Every option can also be set with the environment variable shown as [env: ...].";

/// Options every command accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Where Canvass keeps its data: sqlite://path/to/file.db or postgres://user:password@host/database
    #[arg(long, global = true, env = "CANVASS_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: String,
    /// How much to log: error, warn, info, debug or trace (or a filter like canvass=debug)
    #[arg(long, global = true, env = "CANVASS_LOG", hide_env_values = true, default_value = "info")]
    pub log_level: String,
    /// Log as readable text or as JSON lines
    #[arg(long, global = true, env = "CANVASS_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (applies pending database updates first)
    Serve(ServeArgs),
    /// Apply pending database updates and exit
    Migrate,
    /// Manage staff accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Import, export and list surveys (definition files: see docs/SURVEY_FORMAT.md)
    #[command(subcommand)]
    Survey(SurveyCommand),
    /// Residents' responses: take one out of the results
    #[command(subcommand)]
    Response(ResponseCommand),
    /// Area sets (neighborhoods, council districts...): import boundaries from GeoJSON, list them
    #[command(subcommand)]
    Areas(areas::AreasCommand),
    /// Population figures for areas: import from CSV, apportion between area sets
    #[command(subcommand)]
    Population(areas::PopulationCommand),
    /// API tokens for machines: a kiosk or a data-entry script that submits responses to one
    /// survey, a dashboard pipeline that reads one survey's results
    #[command(subcommand)]
    Token(tokens::TokenCommand),
    /// Load the demo city (Charlotte–Mecklenburg's 462 neighborhood profile areas and their population)
    Demo {
        /// Also fill this survey with synthetic responses over the demo city, skewed by area, age
        /// and tenure as real ones are (for trying results out; never on a real city's survey)
        #[arg(long)]
        fill: Option<i64>,
        /// How many synthetic responses --fill adds
        #[arg(long, default_value_t = 1000, requires = "fill")]
        responses: u64,
    },
}

/// `canvass survey ...`
#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Create a draft survey from a definition file; every problem in the file is listed
    Import {
        /// The JSON definition file (`-` for standard input)
        file: PathBuf,
    },
    /// Write a survey's definition file (to standard output unless --output is given)
    Export {
        /// The survey's number, as shown by `canvass survey list`
        id: i64,
        /// Write to this file instead of standard output
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// List surveys with their status
    List,
    /// Open a survey to residents (publish a draft, reopen a closed survey)
    Publish {
        /// The survey's number, as shown by `canvass survey list`
        id: i64,
    },
    /// Stop taking responses
    Close {
        /// The survey's number, as shown by `canvass survey list`
        id: i64,
    },
    /// Publish a survey's results now: the public results page and files show this snapshot,
    /// with small counts withheld and audited, until the next publication
    PublishResults {
        /// The survey's number, as shown by `canvass survey list`
        id: i64,
        /// Counts under this are withheld (at least 2)
        #[arg(long, env = "CANVASS_SUPPRESSION_THRESHOLD", default_value_t = 5, value_parser = clap::value_parser!(u64).range(2..))]
        suppression_threshold: u64,
    },
    /// Take a survey's public results page and files down (its publications stay on record)
    UnpublishResults {
        /// The survey's number, as shown by `canvass survey list`
        id: i64,
    },
    /// Recount a survey's results from its responses (results are kept as running tallies;
    /// use this after restoring responses from a backup)
    Recount {
        /// The survey's number, as shown by `canvass survey list`
        id: i64,
    },
    /// Check a survey's results (its running tallies) against its responses, counted afresh;
    /// exits with status 1 and lists where they disagree, if they do
    Check {
        /// The survey's number, as shown by `canvass survey list`
        id: i64,
    },
}

/// `canvass response ...`
#[derive(Debug, Subcommand)]
pub enum ResponseCommand {
    /// Take a response out of every result, export and publication (spam found later, a
    /// resident's request): its counts are subtracted at once and the action is audited
    Exclude {
        /// The survey's number, as shown by `canvass survey list`
        #[arg(long)]
        survey: i64,
        /// The receipt the resident was shown (e.g. K7QX-M3PR)
        #[arg(long)]
        receipt: String,
        /// Why, for the audit log
        #[arg(long)]
        reason: String,
        /// Also delete the response's answers (a resident's erasure request)
        #[arg(long)]
        erase: bool,
    },
}

/// Options of `canvass serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (use 0.0.0.0:3000 to accept connections from other machines)
    #[arg(long, env = "CANVASS_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// The address residents and staff use, e.g. https://canvass.city.gov: every link, QR code
    /// and invite is built from it, browsers' changes are accepted only from its origin, and
    /// https turns on secure cookies and HSTS. Required, except with --demo
    #[arg(long, env = "CANVASS_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The reverse proxies or load balancers in front of Canvass (comma-separated addresses or
    /// CIDR blocks, e.g. 10.0.0.0/8): only requests from them may name the client in
    /// Forwarded or X-Forwarded-For. Unset, the connecting address is the client
    #[arg(long, env = "CANVASS_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,
    /// Folder with the built site files (pkg/canvass.js, .wasm, .css); found automatically when unset
    #[arg(long, env = "CANVASS_SITE_ROOT")]
    pub site_root: Option<PathBuf>,
    /// On an empty database, create demo staff accounts (admin, designer, analyst), open the community survey and a quick poll, load the demo city's areas, and print the password
    #[arg(long, env = "CANVASS_DEMO")]
    pub demo: bool,
    /// Responses through the open link accepted from one network address per hour (a library or
    /// an apartment building shares one address); 0 turns the limit off
    #[arg(long, env = "CANVASS_RESPONSES_PER_ADDRESS_PER_HOUR", default_value_t = 200)]
    pub responses_per_address_per_hour: u32,
    /// Counts under this are withheld from public results, open-data exports and quick-poll
    /// results (small-cell suppression); at least 2
    #[arg(long, env = "CANVASS_SUPPRESSION_THRESHOLD", default_value_t = 5, value_parser = clap::value_parser!(u64).range(2..))]
    pub suppression_threshold: u64,
    /// A quick poll's results shown after voting are published again at most this often
    /// (minutes), so that a stream of votes cannot be read one by one
    #[arg(long, env = "CANVASS_POLL_RESULTS_EVERY", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub poll_results_every: u64,
}

/// `canvass user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account. The password is read from standard input, or asked for twice
    /// when run in a terminal; it is never a command-line argument (those show up in process lists).
    Add {
        /// The person's e-mail address (their sign-in name)
        #[arg(long)]
        email: String,
        /// admin (everything, manages staff), designer (builds and runs surveys) or analyst (reads results)
        #[arg(long)]
        role: String,
    },
    /// List staff accounts
    List,
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    telemetry::init(&cli.global.log_level, cli.global.log_format)?;
    let url = DatabaseUrl::parse(&cli.global.database_url)?;
    match cli.command {
        Command::Serve(args) => serve(&url, args).await,
        Command::Migrate => {
            let db = open(&url).await?;
            println!("The database {} is up to date.", url.display());
            db.close().await.ok();
            Ok(())
        }
        Command::User(UserCommand::Add { email, role }) => {
            // Check what can be checked before asking for a password.
            canvass_app::domain::StaffEmail::parse(&email).map_err(|e| anyhow::anyhow!("{e}"))?;
            canvass_app::domain::Role::parse(&role).map_err(|e| anyhow::anyhow!("{e}"))?;
            let password = read_new_password()?;
            let db = open(&url).await?;
            let member = accounts::create_with_password(&db, &email, &role, &password)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("Created {} account for {}. They can sign in now.", member.role, member.email);
            Ok(())
        }
        Command::Survey(command) => survey_command(&url, command).await,
        Command::Response(ResponseCommand::Exclude { survey, receipt, reason, erase }) => {
            let db = open(&url).await?;
            let done = canvass_app::services::responses::exclude(&db, None, survey, &receipt, &reason, erase)
                .await
                .map_err(|e| no_such_survey(survey, e))?;
            let erased = if done.erased { " and its answers erased" } else { "" };
            println!(
                "Survey {survey}: response {} (receipt {}) excluded from the results{erased}. Run `canvass survey publish-results {survey}` to update a published page.",
                done.response_id, done.receipt
            );
            Ok(())
        }
        Command::Token(command) => tokens::token_command(&open(&url).await?, command).await,
        Command::Areas(command) => areas::areas_command(&open(&url).await?, command).await,
        Command::Population(command) => areas::population_command(&open(&url).await?, command).await,
        Command::Demo { fill, responses } => {
            let db = open(&url).await?;
            let city = demo::load_demo_city(&db).await?;
            println!("The demo city is loaded:");
            areas::print_sets(&[city]);
            if let Some(id) = fill {
                demo::seed_synthetic(&db, id, responses).await?;
                println!("Survey {id}: added {responses} synthetic responses.");
            }
            Ok(())
        }
        Command::User(UserCommand::List) => {
            let db = open(&url).await?;
            let members = accounts::list(&db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            if members.is_empty() {
                println!("No staff accounts yet. Create one with: canvass user add --email you@city.gov --role admin");
            } else {
                println!("{:<40} {:<9} {:<12} LAST SIGN-IN", "E-MAIL", "ROLE", "STATUS");
                for m in members {
                    println!(
                        "{:<40} {:<9} {:<12} {}",
                        m.email,
                        m.role.as_str(),
                        m.status.as_str(),
                        m.last_login_at.unwrap_or_else(|| "never".to_owned())
                    );
                }
            }
            Ok(())
        }
    }
}

pub(crate) fn no_such_survey(id: i64, e: AppError) -> anyhow::Error {
    match e {
        AppError::NotFound => anyhow::anyhow!("there is no survey {id}; `canvass survey list` shows them"),
        other => anyhow::anyhow!("{other}"),
    }
}

async fn survey_command(url: &DatabaseUrl, command: SurveyCommand) -> anyhow::Result<()> {
    match command {
        SurveyCommand::Import { file } => {
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())
                    .context("could not read the definition from standard input")?
            } else {
                std::fs::read_to_string(&file).with_context(|| format!("could not read {}", file.display()))?
            };
            let db = open(url).await?;
            match surveys::import(&db, None, &text).await {
                Ok(survey) => {
                    println!(
                        "Imported survey {} \"{}\" as a draft (public link /s/{}).",
                        survey.id, survey.title, survey.public_key
                    );
                    Ok(())
                }
                Err(AppError::SurveyInvalid { problems }) => {
                    eprintln!("{} has {} problem(s); nothing was imported:", file.display(), problems.len());
                    for problem in &problems {
                        eprintln!("  {problem}");
                    }
                    bail!("the survey definition is not valid")
                }
                Err(e) => Err(anyhow::anyhow!("{e}")),
            }
        }
        SurveyCommand::Export { id, output } => {
            let db = open(url).await?;
            let json = surveys::export(&db, id).await.map_err(|e| match e {
                AppError::NotFound => anyhow::anyhow!("there is no survey {id}; `canvass survey list` shows them"),
                other => anyhow::anyhow!("{other}"),
            })?;
            match output {
                Some(path) => {
                    std::fs::write(&path, json + "\n")
                        .with_context(|| format!("could not write {}", path.display()))?;
                    eprintln!("Wrote survey {id} to {}.", path.display());
                }
                None => println!("{json}"),
            }
            Ok(())
        }
        SurveyCommand::Publish { id } | SurveyCommand::Close { id } => {
            let action = if matches!(command, SurveyCommand::Publish { .. }) { Action::Publish } else { Action::Close };
            let db = open(url).await?;
            let survey = surveys::change_status(&db, None, id, action).await.map_err(|e| match e {
                AppError::NotFound => anyhow::anyhow!("there is no survey {id}; `canvass survey list` shows them"),
                other => anyhow::anyhow!("{other}"),
            })?;
            println!("Survey {id} is now {}: /s/{}", survey.status.as_str(), survey.public_key);
            Ok(())
        }
        SurveyCommand::PublishResults { id, suppression_threshold } => {
            let db = open(url).await?;
            let publication =
                canvass_app::services::results::publication::publish(&db, None, id, suppression_threshold)
                    .await
                    .map_err(|e| no_such_survey(id, e))?;
            let respondents =
                publication.respondents.map_or_else(|| "fewer than the threshold".to_owned(), |n| n.to_string());
            println!(
                "Survey {id}: results published {} ({respondents} respondents, {} counts withheld at threshold {}).",
                publication.published_at, publication.withheld, publication.threshold
            );
            Ok(())
        }
        SurveyCommand::UnpublishResults { id } => {
            let db = open(url).await?;
            canvass_app::services::results::publication::withdraw(&db, None, id)
                .await
                .map_err(|e| no_such_survey(id, e))?;
            println!("Survey {id}: the public results page and files are down.");
            Ok(())
        }
        SurveyCommand::Recount { id } => {
            let db = open(url).await?;
            let counted = canvass_app::services::results::recount(&db, id).await.map_err(|e| match e {
                AppError::NotFound => anyhow::anyhow!("there is no survey {id}; `canvass survey list` shows them"),
                other => anyhow::anyhow!("{other}"),
            })?;
            println!("Survey {id}: results recounted from {counted} complete responses.");
            Ok(())
        }
        SurveyCommand::Check { id } => {
            let db = open(url).await?;
            let check = canvass_app::services::results::check(&db, id).await.map_err(|e| no_such_survey(id, e))?;
            if check.disagreements.is_empty() {
                println!("Survey {id}: the results agree with the {} complete responses.", check.responses);
                return Ok(());
            }
            for line in &check.disagreements {
                eprintln!("{line}");
            }
            anyhow::bail!(
                "survey {id}: the results disagree with the responses in {} (listed above); `canvass survey recount {id}` recounts them",
                canvass_app::domain::dashboard::words::how_many(check.disagreements.len(), "place", "places")
            )
        }
        SurveyCommand::List => {
            let db = open(url).await?;
            let list = surveys::list(&db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            if list.is_empty() {
                println!("No surveys yet. Import one with: canvass survey import FILE");
            } else {
                println!("{:>4}  {:<9} {:<10} {:<8} TITLE", "ID", "STATUS", "KIND", "LINK");
                for s in list {
                    let kind = if s.kind == SurveyKind::QuickPoll { "quick poll" } else { "survey" };
                    println!("{:>4}  {:<9} {:<10} {:<8} {}", s.id, s.status.as_str(), kind, s.public_key, s.title);
                }
            }
            Ok(())
        }
    }
}

async fn open(url: &DatabaseUrl) -> anyhow::Result<DatabaseConnection> {
    let db = database::connect(url).await?;
    database::migrate(&db).await?;
    Ok(db)
}

async fn serve(url: &DatabaseUrl, args: ServeArgs) -> anyhow::Result<()> {
    let public_url = args.public_url.as_deref().map(config::parse_public_url).transpose()?;
    let trusted_proxies =
        TrustedProxies::parse(&args.trusted_proxies).map_err(|e| anyhow::anyhow!("--trusted-proxies: {e}"))?;
    let site_root = find_site_root(args.site_root)?;
    if public_url.is_none() && !args.demo {
        bail!(
            "--public-url is required (e.g. --public-url https://canvass.city.gov, or CANVASS_PUBLIC_URL): \
             links, QR codes and invites are built from it, never from what a request claims"
        );
    }
    let db = open(url).await?;
    tracing::info!(database = %url.display(), site_root = %site_root.display(), "database ready");

    // The city first: the demo surveys' synthetic responses are placed in its areas.
    if args.demo {
        let city = demo::load_demo_city(&db).await?;
        tracing::info!(area_set = %city.key, areas = city.areas, "demo city ready");
    }
    if !accounts::any_exist(&db).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        if args.demo {
            demo::create_demo_accounts(&db, args.suppression_threshold).await?;
        } else {
            println!("No staff accounts yet. Create the first administrator with:");
            println!("    canvass user add --email you@city.gov --role admin");
        }
    }

    // `cargo leptos build` names the bundle's files by their content and writes the names in
    // `hash.txt` beside the binary; Leptos reads them from there.
    let hashed_files =
        std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").is_file()));
    let leptos_options = LeptosOptions::builder()
        .output_name("canvass")
        .hash_files(hashed_files.unwrap_or(false))
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(args.addr)
        .env(if std::env::var("LEPTOS_ENV").is_ok_and(|v| v.eq_ignore_ascii_case("dev")) {
            Env::DEV
        } else {
            Env::PROD
        })
        .build();
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("could not listen on {}; is another program using that port?", args.addr))?;
    let bound = listener.local_addr().map_or(args.addr, |a| a);
    let limit = AddressLimit::per_hour(args.responses_per_address_per_hour);
    let mut state =
        AppState::new(db.clone(), leptos_options, public_url.clone().unwrap_or_else(|| demo_public_url(bound)), limit)
            .with_suppression_threshold(args.suppression_threshold)
            .with_poll_results_every(args.poll_results_every)
            .with_trusted_proxies(trusted_proxies);
    if public_url.is_none() {
        // A demo on this machine may be opened as localhost as well as 127.0.0.1.
        let port = bound.port();
        state =
            state.with_allowed_origins(["localhost", "127.0.0.1", "[::1]"].map(|host| format!("http://{host}:{port}")));
    }
    let shown = state.public_url.clone();
    let limits = vec![state.open_link_limit.clone(), state.invite_code_limit.clone(), state.progress_limit.clone()];
    let app = http::router(state);
    http::spawn_housekeeping(db, limits);

    println!("Canvass is running at {shown}  (Ctrl-C to stop)");
    tracing::info!(addr = %args.addr, "listening");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutting down");
        })
        .await
        .context("the web server stopped with an error")
}

/// A demo server's public URL when none is given: where it listens, as this machine reaches it.
fn demo_public_url(bound: SocketAddr) -> String {
    let ip = if bound.ip().is_unspecified() { std::net::IpAddr::from([127, 0, 0, 1]) } else { bound.ip() };
    format!("http://{}", SocketAddr::new(ip, bound.port()))
}

/// Finds the built site files: the flag, then cargo-leptos's variable, then beside the binary,
/// then the workspace's build folder.
fn find_site_root(flag: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    // `pkg/canvass.js`, or `pkg/canvass.<hash>.js` when the build names files by their content.
    let has_bundle = |dir: &PathBuf| {
        std::fs::read_dir(dir.join("pkg")).is_ok_and(|files| {
            files.filter_map(Result::ok).any(|file| {
                let name = file.file_name().to_string_lossy().into_owned();
                name.starts_with("canvass") && name.ends_with(".js")
            })
        })
    };
    if let Some(dir) = flag {
        if !has_bundle(&dir) {
            bail!(
                "--site-root {} has no pkg/canvass.js; build the site with `cargo leptos build --release`",
                dir.display()
            );
        }
        return Ok(dir);
    }
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(dir) = std::env::var("LEPTOS_SITE_ROOT") {
        candidates.push(PathBuf::from(dir));
    }
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|p| p.parent().map(PathBuf::from)) {
        candidates.push(exe_dir.join("site"));
        candidates.push(exe_dir.join("../site"));
    }
    candidates.push(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site")));
    match candidates.iter().find(|dir| has_bundle(dir)) {
        Some(dir) => Ok(dir.canonicalize().unwrap_or_else(|_| dir.clone())),
        None => bail!(
            "could not find the built site files (pkg/canvass.js) in any of: {}. Build them with \
             `cargo leptos build --release`, or pass --site-root",
            candidates.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Reads a new password: from standard input when piped, else asked twice at the terminal.
fn read_new_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let second = rpassword::prompt_password("Type it again: ")?;
        if first != second {
            bail!("the two passwords are not the same; nothing was created");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).context("could not read the password from standard input")?;
        let password = line.trim_end_matches(['\n', '\r']).to_owned();
        if password.is_empty() {
            bail!(
                "no password on standard input; pipe one in, e.g. `printf '%s\\n' \"$PASSWORD\" | canvass user add ...`"
            );
        }
        Ok(password)
    }
}
