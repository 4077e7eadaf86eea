//! `tourdesk-cli`: the same crates/app use cases as the desktop app, for scripts, tests and
//! benchmarks. Errors print as `{code, message}` JSON on stderr with exit code 1.

mod import;
mod wa_host;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use tourdesk_app::core::client::ClientQuery;
use tourdesk_app::core::org::{NewOrg, NewUser};
use tourdesk_app::core::{AppError, FunnelStatus, Language, Role};
use tourdesk_app::{seed, App, Session, SystemClock};

#[derive(Parser)]
#[command(
    name = "tourdesk-cli",
    version,
    about = "Tourdesk from the command line"
)]
struct Cli {
    /// The data folder (the desktop app's, or any other).
    #[arg(long, env = "TOURDESK_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct SignIn {
    /// E-mail of the user to act as.
    #[arg(long = "as", id = "as")]
    acting_email: String,
    /// That user's password.
    #[arg(
        long = "password",
        id = "acting_password",
        env = "TOURDESK_PASSWORD",
        hide_env_values = true
    )]
    acting_password: String,
}

#[derive(Subcommand)]
enum Command {
    /// Organisations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Clients.
    Client {
        #[command(subcommand)]
        command: ClientCommand,
    },
    /// Creates the demo organisation "Soul KG" with tours, partners and clients in seven languages.
    SeedDemo {
        /// The demo admin's e-mail.
        #[arg(long, default_value = "admin@soul.kg")]
        email: String,
    },
    /// Reads WhatsApp "Export chat" files (.txt/.zip, or folders of them). Only --dry-run exists
    /// yet: it prints one JSON object per file and stores nothing.
    Import {
        /// Parse and report without storing (required until the review screen exists).
        #[arg(long)]
        dry_run: bool,
        /// Print JSON lines (the only output format).
        #[arg(long)]
        json: bool,
        /// A WhatsApp name of the organisation's own account (repeatable), to tell the client apart.
        #[arg(long = "own-name")]
        own_names: Vec<String>,
        /// Force the date order instead of deciding per file.
        #[arg(long, value_parser = ["day_first", "month_first"])]
        date_order: Option<String>,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Reads lines on stdin and prints `<code>\t<confidence>` for each (en ru ar fr de es pl unknown).
    DetectLanguage,
    /// Runs the organisation's WhatsApp account headless (the same core as the desktop): stores
    /// what arrives, backfills, sends the outbox. Prints one JSON status line per change on
    /// stdout; stops when stdin closes or on Ctrl-C.
    WaHost(wa_host::WaHostArgs),
    /// Adds N clients and 10×N status changes to a new "Bench" organisation, and optionally
    /// WhatsApp chats with messages (the first chats linked to the first clients).
    SeedBench {
        /// How many clients.
        #[arg(long)]
        clients: u32,
        /// How many status changes (default 10 per client).
        #[arg(long)]
        changes: Option<u32>,
        /// How many one-to-one chats (default 0, or 1 when --messages is given).
        #[arg(long)]
        chats: Option<u32>,
        /// How many messages spread over the chats (default 0).
        #[arg(long, default_value_t = 0)]
        messages: u32,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Creates an organisation and its first admin; prints the recovery code once.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_name: String,
        #[arg(long)]
        email: String,
        #[arg(long, env = "TOURDESK_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Adds a user (the acting user must be an admin).
    Add {
        #[command(flatten)]
        auth: SignIn,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, env = "TOURDESK_NEW_PASSWORD", hide_env_values = true)]
        new_password: String,
        #[arg(long, default_value = "manager", value_parser = ["admin", "manager"])]
        role: String,
    },
}

#[derive(Subcommand)]
enum ClientCommand {
    /// Lists clients (first page of 200 unless --page).
    List {
        #[command(flatten)]
        auth: SignIn,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[arg(long)]
        search: Option<String>,
        /// new_lead, qualified, warmed, proposal_sent, negotiation, sold or service.
        #[arg(long)]
        status: Option<String>,
        /// en, ru, ar, fr, de, es, pl or unknown.
        #[arg(long)]
        language: Option<String>,
        #[arg(long, default_value_t = 0)]
        page: u32,
    },
}

fn data_dir(cli: &Cli) -> Result<PathBuf, AppError> {
    cli.data_dir.clone().ok_or_else(|| {
        AppError::field(
            tourdesk_app::core::ErrorCode::Required,
            "data_dir",
            "give --data-dir or TOURDESK_DATA_DIR",
        )
    })
}

fn sign_in(app: &App, a: &SignIn) -> Result<Session, AppError> {
    app.sign_in(&a.acting_email, &a.acting_password)
}

fn print_json(v: &impl serde::Serialize) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(v).map_err(AppError::internal)?;
    println!("{text}");
    Ok(())
}

fn run(cli: &Cli) -> Result<(), AppError> {
    match &cli.command {
        Command::Import {
            dry_run,
            json,
            own_names,
            date_order,
            paths,
        } => return import::dry_run(*dry_run, *json, own_names, date_order.as_deref(), paths),
        Command::DetectLanguage => return import::detect_language(),
        Command::WaHost(args) => return wa_host::run(&data_dir(cli)?, args),
        _ => {}
    }
    let app = App::open(&data_dir(cli)?, Box::new(SystemClock))?;
    match &cli.command {
        Command::Org {
            command:
                OrgCommand::Create {
                    name,
                    admin_name,
                    email,
                    password,
                },
        } => {
            let created = app.org_create(&NewOrg {
                org_name: name.clone(),
                admin_name: admin_name.clone(),
                email: email.clone(),
                password: password.clone(),
            })?;
            print_json(&serde_json::json!({
                "tenant_id": created.session.tenant_id,
                "admin_id": created.session.user.id,
                "recovery_code": created.recovery_code,
            }))
        }
        Command::User {
            command:
                UserCommand::Add {
                    auth,
                    name,
                    email,
                    new_password,
                    role,
                },
        } => {
            let s = sign_in(&app, auth)?;
            let role = Role::from_code(role).unwrap_or(Role::Manager);
            let user = app.user_add(
                &s,
                &NewUser {
                    name: name.clone(),
                    email: email.clone(),
                    password: new_password.clone(),
                    role,
                },
            )?;
            print_json(&user)
        }
        Command::Client {
            command:
                ClientCommand::List {
                    auth,
                    json,
                    search,
                    status,
                    language,
                    page,
                },
        } => {
            let s = sign_in(&app, auth)?;
            let bad = |field: &str| {
                AppError::field(
                    tourdesk_app::core::ErrorCode::InvalidChoice,
                    field,
                    format!("unknown {field}"),
                )
            };
            let status = match status {
                Some(x) => Some(FunnelStatus::from_code(x).ok_or_else(|| bad("status"))?),
                None => None,
            };
            let language = match language {
                Some(x) => Some(Language::from_code(x).ok_or_else(|| bad("language"))?),
                None => None,
            };
            let q = ClientQuery {
                search: search.clone(),
                status,
                language,
                page: *page,
                page_size: 200,
                ..ClientQuery::default()
            };
            let result = app.client_list(&s, &q)?;
            if *json {
                return print_json(&result);
            }
            for r in &result.rows {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    r.id,
                    r.status.code(),
                    r.language.code(),
                    r.phone.as_deref().unwrap_or("-"),
                    r.name
                );
            }
            eprintln!("{} of {} clients", result.rows.len(), result.total);
            Ok(())
        }
        Command::Import { .. } | Command::DetectLanguage | Command::WaHost(_) => Ok(()),
        Command::SeedDemo { email } => {
            let created = seed::seed_demo(&app, email)?;
            print_json(&serde_json::json!({
                "organisation": created.session.org_name,
                "admin_email": created.session.user.email,
                "password": seed::DEMO_PASSWORD,
                "recovery_code": created.recovery_code,
            }))
        }
        Command::SeedBench {
            clients,
            changes,
            chats,
            messages,
        } => {
            let email = format!("bench-{}@example.com", unique_suffix());
            let password = "bench password 1";
            let created = app.org_create(&NewOrg {
                org_name: "Bench".into(),
                admin_name: "Bench admin".into(),
                email: email.clone(),
                password: password.into(),
            })?;
            let ids = seed::seed_bench(
                &app,
                &created.session,
                *clients,
                changes.unwrap_or(clients.saturating_mul(10)),
            )?;
            let n_chats = chats.unwrap_or(u32::from(*messages > 0));
            let chat_ids = if n_chats > 0 {
                seed::seed_messages(&app, &created.session, n_chats, *messages, &ids)?
            } else {
                Vec::new()
            };
            print_json(&serde_json::json!({
                "admin_email": email,
                "password": password,
                "clients": ids.len(),
                "chats": chat_ids.iter().map(|c| c.0.to_string()).collect::<Vec<_>>(),
                "messages": messages,
            }))
        }
    }
}

/// A unique suffix for the bench admin's e-mail, so seed-bench can run twice on one folder.
fn unique_suffix() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0)
    )
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "{}",
                serde_json::to_string(&e).unwrap_or_else(|_| e.message.clone())
            );
            ExitCode::FAILURE
        }
    }
}
