//! `canvass token ...`: API tokens for machines (docs/API.md#tokens-how-machines-authenticate).

use canvass_app::error::AppError;
use clap::Subcommand;
use sea_orm::DatabaseConnection;

use super::no_such_survey;

/// `canvass token ...`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; its secret is printed once (only its hash is kept)
    Create {
        /// Which machine uses it, e.g. "Main library kiosk"
        #[arg(long)]
        name: String,
        /// The survey's number, as shown by `canvass survey list`
        #[arg(long)]
        survey: i64,
        /// What it may do: submit-responses or read-results
        #[arg(long = "can")]
        action: String,
        /// For submit-responses: the channel its responses are recorded in, kiosk (default) or paper
        #[arg(long)]
        channel: Option<String>,
    },
    /// List tokens with their last use (never their secrets)
    List,
    /// Revoke a token: requests with it are refused from now on
    Revoke {
        /// The token's number, as shown by `canvass token list`
        id: i64,
    },
}

pub async fn token_command(db: &DatabaseConnection, command: TokenCommand) -> anyhow::Result<()> {
    use canvass_app::domain::api_token::TokenAction;
    use canvass_app::services::api_tokens;
    match command {
        TokenCommand::Create { name, survey, action, channel } => {
            let action = TokenAction::parse(&action, channel.as_deref()).map_err(|e| anyhow::anyhow!("--can: {e}"))?;
            let (token, secret) =
                api_tokens::create(db, None, &name, survey, action).await.map_err(|e| no_such_survey(survey, e))?;
            println!("Created token {} \"{}\": {} on survey {survey}.", token.id, token.name, action.describe());
            println!("Its secret, shown this once (send it as `Authorization: Bearer <secret>`):");
            println!("{secret}");
            Ok(())
        }
        TokenCommand::List => {
            let tokens = api_tokens::list(db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            if tokens.is_empty() {
                println!(
                    "No API tokens yet. Create one with: canvass token create --name NAME --survey ID --can submit-responses"
                );
                return Ok(());
            }
            println!(
                "{:>4}  {:<12} {:>6}  {:<28} {:<20} {:<20} NAME",
                "ID", "PREFIX", "SURVEY", "CAN", "LAST USED", "REVOKED"
            );
            for t in tokens {
                println!(
                    "{:>4}  {:<12} {:>6}  {:<28} {:<20} {:<20} {}",
                    t.id,
                    format!("{}…", t.prefix),
                    t.survey_id,
                    t.action.map_or_else(|| "nothing".to_owned(), |a| a.describe()),
                    t.last_used_at.unwrap_or_else(|| "never".to_owned()),
                    t.revoked_at.unwrap_or_else(|| "-".to_owned()),
                    t.name
                );
            }
            Ok(())
        }
        TokenCommand::Revoke { id } => {
            let token = api_tokens::revoke(db, None, id).await.map_err(|e| match e {
                AppError::NotFound => anyhow::anyhow!("there is no token {id}; `canvass token list` shows them"),
                other => anyhow::anyhow!("{other}"),
            })?;
            println!("Token {id} \"{}\" is revoked.", token.name);
            Ok(())
        }
    }
}
