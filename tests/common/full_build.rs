//! The check that incremental rebuilds end where a full build does, shared
//! by the tests that drive the engine in-process (`rebuild.rs`,
//! `template_functions.rs`, `old_urls.rs`).
//!
//! Included by path (`#[path = "common/full_build.rs"] mod full_build;`),
//! not from `common/mod.rs`: a test binary that names the `briefly` library
//! loads every crate it depends on, and their trait impls can make type
//! inference ambiguous in tests that never use the library.

use std::path::Path;

use crate::common::snapshot;

/// The engine's in-memory output (what `serve` and `watch` keep) equals
/// a fresh full build of `root`, byte for byte.
pub fn assert_matches_full_build(root: &Path, engine: &briefly::engine::Engine) {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    briefly::build(&briefly::BuildOptions {
        root: root.to_path_buf(),
        output: output.clone(),
        base_url: None,
        drafts: false,
        future: false,
        expired: false,
        force: false,
    })
    .unwrap();
    let full = snapshot(&output);
    let store = engine.store();
    assert_eq!(
        store.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &full {
        assert!(
            *store[path] == *bytes,
            "{} differs from a full build",
            path.display()
        );
    }
}
