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
}

#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// The site's folder: the one holding site.yaml, content/ and templates/
    #[arg(short, long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Include briefings and pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
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
pub struct WatchArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Poll the files instead of relying on file-system events (network mounts, some containers, WSL)
    #[arg(long)]
    pub poll: bool,
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
