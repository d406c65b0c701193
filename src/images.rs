//! The sizes of the site's own images, for `<img width height>`: every
//! output file that is an image by its name, copied from `content/` or
//! from the theme's static files, with its size read on first use
//! (`imagesize` reads only the header) and kept for the rest of the build.
//! A page list (`pages.rs`) holds one; a change to any copied or static
//! file makes a new page list, so a size is never stale.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::content::CONTENT_DIR;
use crate::markdown::ImageSize;
use crate::site::Copied;
use crate::templates::StaticFile;

/// Output path -> where the image is read from and, once read, its size
/// (None when its header is not an image `imagesize` knows, e.g. SVG).
#[derive(Debug, Default)]
pub struct Images(HashMap<PathBuf, (Origin, OnceLock<Option<ImageSize>>)>);

#[derive(Debug)]
enum Origin {
    File(PathBuf),
    Builtin(&'static [u8]),
}

impl Images {
    /// The images among the theme's files (`statics`) and the files copied
    /// from `root`'s `content/` (which win, as they do in the output).
    pub fn new(root: &Path, files: &[Copied], statics: &BTreeMap<PathBuf, StaticFile>) -> Images {
        let theme = statics.iter().map(|(path, file)| {
            let origin = match file {
                StaticFile::Site(file) => Origin::File(file.clone()),
                StaticFile::Builtin(bytes) => Origin::Builtin(bytes),
            };
            (path, origin)
        });
        let content = files.iter().map(|file| {
            let origin = Origin::File(root.join(CONTENT_DIR).join(&file.source));
            (&file.output, origin)
        });
        let images = theme
            .chain(content)
            .filter(|(path, _)| is_image(path))
            .map(|(path, origin)| (path.clone(), (origin, OnceLock::new())))
            .collect();
        Images(images)
    }

    /// The size of the image written at `output` (a path in the output
    /// folder), or None when the site writes no image there or its header
    /// cannot be read.
    pub fn size(&self, output: &Path) -> Option<ImageSize> {
        let (origin, size) = self.0.get(output)?;
        *size.get_or_init(|| match origin {
            Origin::File(path) => imagesize::size(path).ok(),
            Origin::Builtin(bytes) => imagesize::blob_size(bytes).ok(),
        })
    }
}

fn is_image(path: &Path) -> bool {
    mime_guess::from_path(path)
        .first()
        .is_some_and(|mime| mime.type_() == mime_guess::mime::IMAGE)
}
