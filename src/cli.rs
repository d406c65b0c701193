//! The command line, as clap-derive types only; `main.rs` runs them.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "briefly",
    version,
    about = "A static site generator for briefings: dated analytical notes, in Markdown, published as a fast static site."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default)
    Build(BuildArgs),
    /// Serve the site on 127.0.0.1 with live reload, rebuilding on every change (never writes public/)
    Serve(ServeArgs),
    /// Build, then rebuild into the output folder on every change (for your own server)
    Watch(WatchArgs),
    /// Build in memory and report broken links, missing files and likely mistakes; writes nothing
    Check(CheckArgs),
    /// Start a new site that builds at once: site.yaml, a sample briefing, an about page
    Init(InitArgs),
    /// Write a new briefing, content/briefings/<date>-<slug>.md, and print its path
    New(NewArgs),
}

#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// The site's folder: the one holding site.yaml, content/ and templates/
    #[arg(short, long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Include briefings and pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Include briefings dated after today, or with a `publishDate` after today
    #[arg(long)]
    pub future: bool,
    /// Include briefings whose `expiryDate` has come
    #[arg(long)]
    pub expired: bool,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site [default: <root>/public]
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Use this base URL instead of site.yaml's `base_url`
    #[arg(short = 'u', long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Replace the output folder even when briefly did not make it (it is not empty and no earlier build left its lock file beside it)
    #[arg(long)]
    pub force: bool,
    /// Print nothing on success (no progress, summary or warnings); errors still go to stderr
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on
    #[arg(short, long, default_value = "127.0.0.1", value_name = "IP")]
    pub bind: IpAddr,
    /// The port to listen on (0 picks a free one)
    #[arg(short, long, default_value_t = 1111)]
    pub port: u16,
    /// Poll the files instead of relying on file-system events (network mounts, some containers, WSL)
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Fail (exit 1) on warnings too, not only on errors
    #[arg(long)]
    pub strict: bool,
    /// Print nothing on success (no hosts, summary or warnings); errors still go to stderr
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Poll the files instead of relying on file-system events (network mounts, some containers, WSL)
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to start the site in; created if missing, else it must be empty
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// Also copy the built-in theme into templates/, to change it
    #[arg(long)]
    pub templates: bool,
    /// Write into a folder that is not empty (nothing is deleted; only init's own files are overwritten)
    #[arg(long)]
    pub force: bool,
    /// Print nothing on success
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The briefing's title (quote it, or give it as several words)
    #[arg(required = true, value_name = "TITLE")]
    pub title: Vec<String>,
    /// The site's folder: the one holding site.yaml
    #[arg(short, long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The briefing's date [default: today]
    #[arg(short, long, value_name = "YYYY-MM-DD", value_parser = briefly::scaffold::parse_day)]
    pub date: Option<jiff::civil::Date>,
    /// Tags, separated by commas
    #[arg(short, long, value_name = "TAG,TAG", value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Mark it `draft: true`: left out of the site unless built with --drafts
    #[arg(long)]
    pub draft: bool,
    /// The folder under content/ to write it in
    #[arg(short, long, value_name = "FOLDER", default_value = "briefings")]
    pub section: String,
    /// Print nothing on success (not the path written)
    #[arg(short, long)]
    pub quiet: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
