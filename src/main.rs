//! Parses the command line, runs one command, prints any error once and
//! picks the exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

use briefly::BuildOptions;
use cli::{Cli, Command};

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Build(args) => {
            let output = args.output.unwrap_or_else(|| args.root.join("public"));
            let options = BuildOptions {
                root: args.root,
                output: output.clone(),
                base_url: args.base_url,
                drafts: args.drafts,
            };
            let report = briefly::build(&options)?;
            println!(
                "Built {} briefing{}, {} tag{}, {} event{} ({} pages) into {}/ in {} ms",
                report.briefings,
                plural(report.briefings),
                report.tags,
                plural(report.tags),
                report.events,
                plural(report.events),
                report.pages,
                shown(&output),
                report.elapsed.as_millis()
            );
            Ok(())
        }
    }
}

/// A path as typed, without a leading `./`.
fn shown(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./")
        .unwrap_or(&text)
        .trim_end_matches('/')
        .to_string()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
