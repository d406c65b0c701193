//! Parses the command line, runs one command, prints any error once and
//! picks the exit code.

mod cli;

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use briefly::BuildOptions;
use briefly::config::BaseUrlOverride;
use briefly::scaffold;
use briefly::serve::ServeOptions;
use cli::{BuildArgs, Cli, Command};

/// A build makes many small strings and Tera values on two threads at once;
/// mimalloc serves them with less locking and fewer instructions than glibc's
/// allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Each of several errors gets its own `error:`.
            match error.downcast_ref::<briefly::diagnostic::Diagnostics>() {
                Some(errors) => {
                    for diagnostic in &errors.0 {
                        eprintln!("error: {diagnostic}");
                    }
                    eprintln!("{}", errors.summary());
                }
                None => eprintln!("error: {error:#}"),
            }
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Build(args) => {
            let quiet = args.quiet;
            let options = build_options(args);
            let progress = briefly::progress::show_after(briefly::progress::wanted(quiet));
            let built = briefly::build_showing(&options, &progress.progress);
            progress.finish();
            let report = built?;
            if quiet {
                return Ok(());
            }
            for line in briefly::diagnostic::summarise(&report.warnings) {
                eprintln!("warning: {line}");
            }
            let warnings = report.warnings.len();
            println!(
                "Built {} briefing{}, {} tag{}, {} event{} ({} pages) into {}/ in {} ms, {warnings} warning{}{}",
                report.briefings,
                plural(report.briefings),
                report.tags,
                plural(report.tags),
                report.events,
                plural(report.events),
                report.rendered,
                shown(&options.output),
                report.elapsed.as_millis(),
                plural(warnings),
                left_out(&report)
            );
            Ok(())
        }
        Command::Serve(args) => briefly::serve::serve(ServeOptions {
            root: args.site.root,
            bind: args.bind,
            port: args.port,
            drafts: args.site.drafts,
            future: args.site.future,
            expired: args.site.expired,
            poll: args.poll,
        }),
        Command::Watch(args) => {
            let quiet = args.build.quiet;
            let options = build_options(args.build);
            // With --quiet only the lines of failed rebuilds are printed, on stderr.
            briefly::watch::run(&options, args.poll, |line| {
                if !quiet {
                    println!("{line}");
                } else if line.starts_with("error: ") || line.contains(": error: ") {
                    eprintln!("{line}");
                }
            })
        }
        Command::Check(args) => check(args),
        Command::Init(args) => {
            let init = scaffold::Init {
                dir: args.dir,
                templates: args.templates,
                force: args.force,
            };
            let said = scaffold::init(&init, today()?)?;
            if !args.quiet {
                println!("{said}");
            }
            Ok(())
        }
        Command::New(args) => {
            let new = scaffold::NewBriefing {
                root: args.root,
                title: args.title.join(" "),
                date: args.date,
                tags: args.tags,
                draft: args.draft,
                section: Some(args.section),
            };
            let quiet = args.quiet;
            let path = scaffold::new_briefing(&new, today()?)?;
            if !quiet {
                println!("Wrote {}", path.display());
            }
            Ok(())
        }
    }
}

/// Prints what `check` found; an error (or with --strict a warning) fails.
fn check(args: cli::CheckArgs) -> anyhow::Result<()> {
    let site = &args.site;
    let engine = briefly::engine::Engine::new(&site.root, site.drafts, BaseUrlOverride::None)
        .including(site.future, site.expired);
    let report = briefly::check::check(engine);
    for error in &report.errors {
        eprintln!("error: {error}");
    }
    let failed = !report.errors.is_empty() || (args.strict && !report.warnings.is_empty());
    if !args.quiet || failed {
        for warning in &report.warnings {
            eprintln!("warning: {warning}");
        }
    }
    if !args.quiet && !report.hosts.is_empty() {
        println!("External links, by host (not fetched):");
        for (host, count) in &report.hosts {
            println!("  {host} ({count})");
        }
    }
    let (errors, warnings) = (report.errors.len(), report.warnings.len());
    let summary = format!(
        "{errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    );
    if failed {
        anyhow::bail!("check failed: {summary}");
    }
    if !args.quiet {
        println!("Checked {} files: {summary}", report.pages);
    }
    Ok(())
}

fn build_options(args: BuildArgs) -> BuildOptions {
    let output = args.output.unwrap_or_else(|| args.site.root.join("public"));
    BuildOptions {
        root: args.site.root,
        output,
        base_url: args.base_url,
        drafts: args.site.drafts,
        future: args.site.future,
        expired: args.site.expired,
        force: args.force,
    }
}

/// What the build line says of briefings left out as future or expired
/// (Hugo's defaults, which surprise a site moved in from elsewhere).
fn left_out(report: &briefly::engine::Outcome) -> String {
    let mut parts = Vec::new();
    if report.future > 0 {
        parts.push(format!("{} dated after today (--future)", report.future));
    }
    if report.expired > 0 {
        parts.push(format!("{} expired (--expired)", report.expired));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("; left out: {}", parts.join(", "))
    }
}

/// Today (`BRIEFLY_TODAY` or the clock): the default date of `new`.
fn today() -> anyhow::Result<jiff::civil::Date> {
    briefly::date::today().map_err(anyhow::Error::msg)
}

/// A path as typed, without a leading `./`.
fn shown(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./")
        .unwrap_or(&text)
        .trim_end_matches('/')
        .to_string()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
