//! The command line, as clap-derive types only; `main.rs` runs them.

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
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's folder: the one holding site.yaml, content/ and templates/
    #[arg(short, long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Where to write the site [default: <root>/public]
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Use this base URL instead of site.yaml's `base_url`
    #[arg(short = 'u', long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include briefings and pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
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
