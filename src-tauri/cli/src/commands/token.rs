//! `seedance token set|test|remove|status`. The token is the app's: the same keychain entry (hosts it is
//! bound to included), or `SEEDANCE_API_TOKEN` for the run. It is read from standard input or a hidden
//! prompt, never from an argument (other users can read a process's arguments), and never printed: status
//! tells only where it comes from and its last four characters, as the app's Settings screen does.

use std::io::{IsTerminal, Read};

use seedance_core::api::SinanClient;
use seedance_core::i18n::Message;
use seedance_core::secrets::{ApiToken, TokenSource, TOKEN_ENV};
use seedance_core::session::live_api_config;
use seedance_core::token_check::{check_token, TokenCheck};
use serde_json::json;

use crate::cli::TokenCommand;
use crate::context::{block_on, Ctx};
use crate::demo::Demo;
use crate::error::{CliError, CliResult, Exit};
use crate::out::Style;

/// More than any token; a larger input is not one.
const MAX_TOKEN_INPUT: u64 = 64 * 1024;

pub fn run(ctx: &mut Ctx, command: TokenCommand) -> CliResult {
    match command {
        TokenCommand::Set { refused } if !refused.is_empty() => Err(CliError::new(
            "token_in_argument",
            Message::new("msg.cli.token_argument"),
        )
        .with_exit(Exit::Usage)),
        TokenCommand::Set { .. } => set(ctx),
        TokenCommand::Test => test(ctx),
        TokenCommand::Remove => remove(ctx),
        TokenCommand::Status => status(ctx),
    }
}

pub fn no_token() -> CliError {
    CliError::new(
        "no_token",
        Message::new("msg.cli.no_token").arg("env", TOKEN_ENV),
    )
}

fn read_token(ctx: &Ctx) -> CliResult<ApiToken> {
    let empty = || CliError::new("token_empty", Message::new("msg.cli.token_empty"));
    let text = if std::io::stdin().is_terminal() {
        let prompt = ctx.out.text(&Message::new("msg.cli.token_prompt"));
        rpassword::prompt_password(prompt).map_err(|e| {
            let mut error = empty();
            error.cause = Some(e.to_string());
            error
        })?
    } else {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .take(MAX_TOKEN_INPUT)
            .read_to_string(&mut text)
            .map_err(|e| {
                let mut error = empty();
                error.cause = Some(e.to_string());
                error
            })?;
        text
    };
    ApiToken::new(&text).ok_or_else(empty)
}

fn set(ctx: &mut Ctx) -> CliResult {
    let token = read_token(ctx)?;
    let credentials = ctx.credentials()?;
    block_on(credentials.save(token))?;
    ctx.out
        .object(&json!({ "saved": true, "source": "keychain" }));
    ctx.out
        .say_styled(Style::Good, &Message::new("msg.cli.token_saved"));
    if credentials.from_environment() {
        ctx.out
            .warn(&Message::new("msg.cli.token_env_wins").arg("env", TOKEN_ENV));
    }
    Ok(Exit::Done)
}

fn remove(ctx: &mut Ctx) -> CliResult {
    let credentials = ctx.credentials()?;
    block_on(credentials.remove())?;
    ctx.out.object(&json!({ "removed": true }));
    ctx.out.say(&Message::new("msg.cli.token_removed"));
    if credentials.from_environment() {
        ctx.out
            .warn(&Message::new("msg.cli.token_env_wins").arg("env", TOKEN_ENV));
    }
    Ok(Exit::Done)
}

fn status(ctx: &mut Ctx) -> CliResult {
    let credentials = ctx.credentials()?;
    let found = block_on(credentials.current())?;
    let Some((token, source)) = found else {
        ctx.out.object(&json!({ "set": false, "source": "none" }));
        return Err(no_token());
    };
    let (word, message) = match source {
        TokenSource::Keychain => ("keychain", Message::new("msg.cli.token_in_keychain")),
        TokenSource::Environment => (
            "environment",
            Message::new("msg.cli.token_in_env").arg("env", TOKEN_ENV),
        ),
    };
    let hosts: Vec<&str> = token.hosts().iter().collect();
    ctx.out.object(&json!({
        "set": true,
        "source": word,
        "last4": token.last4(),
        "bound_hosts": hosts,
    }));
    ctx.out.say(&message.arg("last4", token.last4()));
    Ok(Exit::Done)
}

fn test(ctx: &mut Ctx) -> CliResult {
    let outcome = if ctx.demo {
        block_on(async {
            let demo = Demo::start().await?;
            let client = SinanClient::new(demo.api()?)?;
            let outcome = check_token(&client, &demo.token()?).await;
            demo.stop().await;
            Ok::<_, CliError>(outcome)
        })?
    } else {
        let credentials = ctx.credentials()?;
        let config = ctx.config()?;
        let prefs = ctx.prefs()?.snapshot();
        block_on(async {
            let (token, _) = credentials.current().await?.ok_or_else(no_token)?;
            let api = live_api_config(&config, &prefs)?;
            let token = credentials.authorize(token, &api).await?;
            let client = SinanClient::new(api)?;
            Ok::<_, CliError>(check_token(&client, &token).await)
        })?
    };
    if outcome.is_valid() {
        ctx.out
            .object(&json!({ "outcome": outcome.kind(), "message": ctx.out.text(&outcome.msg()) }));
        ctx.out.say_styled(Style::Good, &outcome.msg());
        return Ok(Exit::Done);
    }
    let exit = match outcome {
        TokenCheck::Rejected | TokenCheck::HostNotConfirmed { .. } => Exit::Token,
        _ => Exit::Failed,
    };
    let mut error =
        CliError::new(&format!("token_{}", outcome.kind()), outcome.msg()).with_exit(exit);
    if let TokenCheck::Unexpected { detail } = &outcome {
        error.cause = Some(detail.clone());
    }
    Err(error)
}
