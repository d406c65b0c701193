//! Rebuild the binary when a built-in template is added or edited:
//! `include_dir!` (src/templates.rs, src/scaffold.rs) embeds `templates/`,
//! but cargo only sees the files it already knew. A directory here is
//! scanned recursively by cargo.

fn main() {
    println!("cargo::rerun-if-changed=templates");
    println!("cargo::rerun-if-changed=build.rs");
}
