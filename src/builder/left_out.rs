//! What a build leaves out because of its base URL, told once per build (a blog's recaps
//! have no feed or sitemap of their own, so a blog says it once for the blog): `build` and
//! `check` warn of the files a full base URL would bring, and `--verbose` also notes
//! `robots.txt` left out of a site below a path. `serve` says neither: a preview needs no feed.

use std::path::Path;

use serde_saphyr::Spanned;

use crate::error::Diagnostic;
use crate::load;
use crate::render::LeftOut;

/// An output left out, and why.
#[derive(Debug, Clone)]
pub struct Notice {
    /// A warning (a full base URL would bring it); else a note for `--verbose`.
    pub warn: bool,
    pub diagnostic: Diagnostic,
}

/// Where the base URL came from: `--base-url`, else summit.yaml's `base_url` (or its absence).
pub(super) struct Origin<'a> {
    pub root: &'a Path,
    pub arg: bool,
    pub key: Option<&'a Spanned<String>>,
}

impl Origin<'_> {
    fn diagnostic(&self, message: String) -> Diagnostic {
        if self.arg {
            return Diagnostic::new("--base-url", message);
        }
        let d = Diagnostic::new(
            load::display_path(self.root, Path::new("summit.yaml")),
            message,
        );
        match self.key {
            Some(k) => d.at(k.referenced.line() as usize, k.referenced.column() as usize),
            None => d,
        }
    }

    /// "`base_url` \"/\"", "`--base-url` \"/\"", or that there is none.
    fn what(&self, base_url: &str) -> String {
        match (self.arg, self.key) {
            (true, _) => format!("`--base-url` \"{base_url}\" is a path"),
            (false, Some(_)) => format!("`base_url` \"{base_url}\" is a path"),
            (false, None) => "summit.yaml sets no `base_url`".to_string(),
        }
    }
}

/// The notices for `left` (from [`crate::render::left_out`]) of a site built for `base_url`;
/// `social`: some page has a cover that, for the same reason, is not its `og:image`.
pub(super) fn notices(
    left: &[LeftOut],
    base_url: &str,
    origin: &Origin<'_>,
    social: bool,
) -> Vec<Notice> {
    let mut out = Vec::new();
    let files: Vec<&str> = left
        .iter()
        .filter_map(|l| match l {
            LeftOut::NoFullUrl(f) => Some(*f),
            LeftOut::NotDomainRoot => None,
        })
        .collect();
    if let Some((last, rest)) = files.split_last() {
        let (list, verb) = match rest {
            [] => (last.to_string(), "is"),
            _ => (format!("{} and {last}", rest.join(", ")), "are"),
        };
        let message = format!(
            "{list} {verb} left out, as are the pages' canonical links{}: their addresses must be absolute, and {}",
            if social {
                " and social images (`og:image`)"
            } else {
                ""
            },
            origin.what(base_url)
        );
        out.push(Notice {
            warn: true,
            diagnostic: origin.diagnostic(message).help(
                "set the site's full address, e.g. `base_url: \"https://user.github.io/repo/\"` (the Pages workflow passes it with `--base-url`), or switch these off under `pages:`",
            ),
        });
    }
    if left.contains(&LeftOut::NotDomainRoot) {
        let message = format!(
            "robots.txt is left out: crawlers read it only at a domain's root (/robots.txt), and {base_url} is below one"
        );
        out.push(Notice {
            warn: false,
            diagnostic: origin.diagnostic(message).help(
                "sitemap.xml is written: give its address to search engines (e.g. Google Search Console), or list it in the domain's own robots.txt",
            ),
        });
    }
    out
}

/// Warnings with the cover warnings [`notices`]' one line already says dropped, and whether
/// there were any: one cause, told once.
pub(super) fn fold_social(warnings: &mut Vec<Diagnostic>, left: &[LeftOut]) -> bool {
    let social = warnings.iter().any(crate::images::is_about_social_image);
    if left.iter().any(|l| matches!(l, LeftOut::NoFullUrl(_))) {
        warnings.retain(|w| !crate::images::is_about_social_image(w));
    }
    social
}
