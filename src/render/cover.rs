//! Cover images (`image:` in summit.yaml for the post, in a note for its talk's page): the
//! `<img>` at the top of the page, and the same image as the page's social image
//! (`og:image`, `twitter:card` `summary_large_image`, JSON-LD `image`).
//!
//! A cover that is a file of the site is linked relatively from its page (as front-matter
//! paths are, from the recap's root) and carries its file's size; as a social image it needs
//! an absolute URL, so without a full base URL it is left out (`images::check_covers` warns).
//! An http(s) cover is used as written, with no size.

use serde::Serialize;
use serde_json::{Value, json};

use super::{Urls, page_url};
use crate::images::{Sizes, static_path};
use crate::route::{Recap, Route};

/// A cover as a page shows it.
#[derive(Serialize, Debug, Clone)]
pub(super) struct Cover {
    /// From the page.
    src: String,
    alt: String,
    width: Option<u64>,
    height: Option<u64>,
}

/// A page's social image.
#[derive(Serialize, Debug, Clone)]
pub(super) struct SocialImage {
    url: String,
    alt: Option<String>,
    width: Option<u64>,
    height: Option<u64>,
}

impl SocialImage {
    /// JSON-LD's `image`: its URL (the size is in `og:image:width` and `:height`; an
    /// `ImageObject` would cost the post's weight budget for no reader).
    pub(super) fn jsonld(&self) -> Value {
        json!(self.url)
    }
}

fn size(image: &str, sizes: &Sizes) -> (Option<u64>, Option<u64>) {
    match static_path(image) {
        Some(Ok(file)) => sizes
            .get(&file)
            .map_or((None, None), |s| (Some(s.width), Some(s.height))),
        _ => (None, None),
    }
}

/// The cover `image` (with its text alternative) on the page `at`.
pub(super) fn cover(image: &str, alt: Option<&str>, at: &Route<'_>, sizes: &Sizes) -> Cover {
    let (width, height) = size(image, sizes);
    Cover {
        src: page_url(image, &at.recap_root()).into_owned(),
        alt: alt.unwrap_or_default().to_string(),
        width,
        height,
    }
}

/// `image` as a social image of a page of `recap`, if it can have an absolute URL.
pub(super) fn social(
    image: &str,
    alt: Option<&str>,
    recap: &Recap<'_>,
    urls: &Urls,
    sizes: &Sizes,
) -> Option<SocialImage> {
    let url = if crate::model::is_external(image) {
        image.to_string()
    } else {
        let path = image.trim_start_matches('/').trim_start_matches("./");
        urls.of(&recap.file(path))?
    };
    let (width, height) = size(image, sizes);
    Some(SocialImage {
        url,
        alt: alt.map(String::from),
        width,
        height,
    })
}
