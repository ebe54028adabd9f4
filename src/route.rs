//! Routes: where every page of a site lives and how one page links to another. This is the
//! one home of those rules; nothing else spells out `talks/<slug>/`, `index.html` or `../`.
//!
//! A page is a folder with an `index.html` (so URLs end in `/`). A recap's pages (its post
//! and its talk pages) live under the recap's prefix: `""` for a one-recap site, `"<folder>/"`
//! inside a blog. The site-wide pages (the blog's home, speakers, tags) live at the root.
//!
//! Links are relative, so a site works at a domain root, under a project path and from disk:
//! between two pages of one recap the link climbs to the recap's root and down again; any
//! other link climbs to the site root. With the prefix `""` both give the same URL.

/// The file a folder URL is served from.
pub const INDEX: &str = "index.html";

/// A page of the site, by what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page<'a> {
    /// A blog's index of recaps (a blog only; a one-recap site's root is its post).
    Home,
    /// A recap's post.
    Post,
    /// A talk's own page: `talks/<slug>/` in its recap.
    Talk(&'a str),
    /// `speakers/`: every speaker with their talks.
    Speakers,
    /// `tags/`: every tag.
    Tags,
    /// `tags/<slug>/`: the talks of one tag.
    Tag(&'a str),
}

/// A page and the recap it belongs to: `prefix` is `""` for a one-recap site or a site-wide
/// page, `"<folder>/"` for a recap inside a blog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Route<'a> {
    pub prefix: &'a str,
    pub page: Page<'a>,
}

impl<'a> Route<'a> {
    /// A site-wide page (home, speakers, tags).
    pub fn site(page: Page<'a>) -> Route<'a> {
        Route { prefix: "", page }
    }

    /// Whether the page belongs to a recap (so lives under its prefix).
    fn in_recap(&self) -> bool {
        matches!(self.page, Page::Post | Page::Talk(_))
    }

    /// The folder inside its recap (`""`, `talks/x/`), or inside the site for site pages.
    pub fn local_dir(&self) -> String {
        match self.page {
            Page::Home | Page::Post => String::new(),
            Page::Talk(slug) => format!("talks/{slug}/"),
            Page::Speakers => "speakers/".into(),
            Page::Tags => "tags/".into(),
            Page::Tag(slug) => format!("tags/{slug}/"),
        }
    }

    /// The page's output file inside its recap (`index.html`, `talks/x/index.html`): what a
    /// recap's Markdown is rendered for.
    pub fn local_file(&self) -> String {
        format!("{}{INDEX}", self.local_dir())
    }

    /// Whether `file` is [`Route::local_file`], without making it (a lookup per talk per
    /// build asks this).
    pub fn is_local_file(&self, file: &str) -> bool {
        let Some(dir) = file.strip_suffix(INDEX) else {
            return false;
        };
        match self.page {
            Page::Home | Page::Post => dir.is_empty(),
            Page::Talk(slug) => {
                dir.strip_prefix("talks/").and_then(|d| d.strip_suffix('/')) == Some(slug)
            }
            _ => dir == self.local_dir(),
        }
    }

    /// The folder inside the site (`kafka/talks/x/`).
    pub fn dir(&self) -> String {
        if self.in_recap() {
            format!("{}{}", self.prefix, self.local_dir())
        } else {
            self.local_dir()
        }
    }

    /// The output file inside the site.
    pub fn file(&self) -> String {
        format!("{}{INDEX}", self.dir())
    }

    /// The way from this page to the site root (`""`, `../../`).
    pub fn root(&self) -> String {
        up(&self.dir())
    }

    /// The way from this page to its recap's root (the site root for site pages).
    pub fn recap_root(&self) -> String {
        if self.in_recap() {
            up(&self.local_dir())
        } else {
            self.root()
        }
    }

    /// The URL of `to` from this page: down to a page below this one, else up to the root
    /// of the recap both are in, or of the site, and down again.
    pub fn href(&self, to: &Route<'_>) -> String {
        let (here, there) = (self.dir(), to.dir());
        match there.strip_prefix(&here) {
            Some(below) if !here.is_empty() || self.page == Page::Post => below.to_string(),
            _ if self.in_recap() && to.in_recap() && self.prefix == to.prefix => {
                format!("{}{}", up(&self.local_dir()), to.local_dir())
            }
            _ => format!("{}{there}", self.root()),
        }
    }

    /// The URL of `#anchor` on `to` from this page: the bare anchor on the page itself.
    pub fn anchor(&self, to: &Route<'_>, anchor: &str) -> String {
        if self == to {
            format!("#{anchor}")
        } else {
            format!("{}#{anchor}", self.href(to))
        }
    }

    /// The page's absolute URL under the absolute base URL `base` (`https://…/`).
    pub fn absolute(&self, base: &str) -> String {
        format!("{base}{}", self.dir())
    }
}

/// `../` once per folder level of `dir`.
pub fn up(dir: &str) -> String {
    "../".repeat(dir.matches('/').count())
}

/// The output file a folder path names (`""` → `index.html`, `a/b` → `a/b/index.html`).
pub fn folder_file(dir: &str) -> String {
    if dir.is_empty() {
        INDEX.into()
    } else {
        format!("{}/{INDEX}", dir.trim_end_matches('/'))
    }
}

/// The routes of one recap: its prefix and whether its talks have pages of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recap<'a> {
    pub prefix: &'a str,
    pub talk_pages: bool,
}

impl<'a> Recap<'a> {
    /// The recap's post.
    pub fn post(&self) -> Route<'a> {
        Route {
            prefix: self.prefix,
            page: Page::Post,
        }
    }

    /// A talk's own page (whether or not the recap writes talk pages).
    pub fn talk_page(&self, slug: &'a str) -> Route<'a> {
        Route {
            prefix: self.prefix,
            page: Page::Talk(slug),
        }
    }

    /// Where a talk is shown as itself: its own page, or else its section of the post, as
    /// the route and the anchor on it.
    pub fn talk(&self, slug: &'a str) -> (Route<'a>, Option<&'a str>) {
        if self.talk_pages {
            (self.talk_page(slug), None)
        } else {
            (self.post(), Some(slug))
        }
    }

    /// The link to a talk from the page `from`: its own page, or its anchor on the post.
    pub fn talk_href(&self, slug: &'a str, from: &Route<'_>) -> String {
        match self.talk(slug) {
            (route, None) => from.href(&route),
            (route, Some(anchor)) => from.anchor(&route, anchor),
        }
    }

    /// A file of the recap that is not a page (`schedule.ics`), by its name in the recap.
    pub fn file(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// A talk's absolute URL under the absolute base URL `base`.
    pub fn talk_url(&self, slug: &'a str, base: &str) -> String {
        match self.talk(slug) {
            (route, None) => route.absolute(base),
            (route, Some(anchor)) => format!("{}#{anchor}", route.absolute(base)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_local_file` answers as comparing with `local_file` would, for every kind of page.
    #[test]
    fn is_local_file_is_local_file() {
        let pages = [
            Page::Home,
            Page::Post,
            Page::Talk("a"),
            Page::Talk("ab"),
            Page::Speakers,
            Page::Tags,
            Page::Tag("a"),
        ];
        for recap in ["", "kafka/"] {
            for p in pages {
                let route = Route {
                    prefix: recap,
                    page: p,
                };
                for q in pages {
                    let file = Route {
                        prefix: recap,
                        page: q,
                    }
                    .local_file();
                    assert_eq!(route.is_local_file(&file), file == route.local_file());
                }
                for odd in ["", "talks/a/", "talks//index.html", "talks/a/b/index.html"] {
                    assert!(!route.is_local_file(odd), "{odd}");
                }
            }
        }
    }

    #[test]
    fn one_recap_links() {
        let r = Recap {
            prefix: "",
            talk_pages: true,
        };
        let (post, a, b) = (r.post(), r.talk_page("a"), r.talk_page("b"));
        assert_eq!(post.file(), "index.html");
        assert_eq!(a.file(), "talks/a/index.html");
        assert_eq!(a.root(), "../../");
        assert_eq!(a.href(&b), "../../talks/b/");
        assert_eq!(a.anchor(&post, "a"), "../../#a");
        assert_eq!(post.anchor(&post, "a"), "#a");
        let speakers = Route::site(Page::Speakers);
        assert_eq!(r.talk_href("a", &speakers), "../talks/a/");
        let no_pages = Recap {
            talk_pages: false,
            ..r
        };
        assert_eq!(no_pages.talk_href("a", &speakers), "../#a");
        assert_eq!(no_pages.talk_href("a", &post), "#a");
        assert_eq!(r.talk_url("a", "https://x/"), "https://x/talks/a/");
        assert_eq!(no_pages.talk_url("a", "https://x/"), "https://x/#a");
    }

    #[test]
    fn recap_in_a_blog() {
        let r = Recap {
            prefix: "kafka/",
            talk_pages: true,
        };
        let (post, a) = (r.post(), r.talk_page("a"));
        assert_eq!(post.file(), "kafka/index.html");
        assert_eq!(a.file(), "kafka/talks/a/index.html");
        assert_eq!(a.local_file(), "talks/a/index.html");
        assert_eq!(a.root(), "../../../");
        assert_eq!(a.recap_root(), "../../");
        assert_eq!(a.anchor(&post, "a"), "../../#a");
        let tag = Route::site(Page::Tag("x"));
        assert_eq!(r.talk_href("a", &tag), "../../kafka/talks/a/");
        assert_eq!(tag.href(&Route::site(Page::Home)), "../../");
        assert_eq!(Route::site(Page::Tags).href(&tag), "x/");
        let other = Recap {
            prefix: "kube/",
            talk_pages: true,
        };
        assert_eq!(other.talk_href("b", &a), "../../../kube/talks/b/");
    }

    #[test]
    fn folder_files() {
        assert_eq!(folder_file(""), "index.html");
        assert_eq!(folder_file("a/b/"), "a/b/index.html");
        assert_eq!(folder_file("a/b"), "a/b/index.html");
    }
}
