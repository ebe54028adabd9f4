//! `init`, `new` and `theme copy`: files a writer starts from. Writing goes through here;
//! nothing is ever overwritten unless asked (`init --force` replaces only the files it would
//! create; `theme copy --force` keeps the file it replaces as a backup).

pub mod theme;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Diagnostic, Error, Result};
use crate::model::slugify;
use crate::parse::types::Date;

/// The GitHub Actions workflow written by `init`.
pub fn pages_workflow() -> String {
    include_str!("pages.yml").replace("__VERSION__", env!("CARGO_PKG_VERSION"))
}

/// Front matter of a new note, in the order a writer fills it in.
#[derive(Serialize)]
struct NewNote<'a> {
    title: &'a str,
    speakers: Vec<&'a str>,
    day: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    room: Option<&'a str>,
    tags: Vec<&'a str>,
    recommended: bool,
}

/// What `new` is told about the talk besides its title and day.
#[derive(Debug, Default)]
pub struct NewTalk<'a> {
    pub speakers: Vec<&'a str>,
    /// `HH:MM`, checked by the caller.
    pub start: Option<&'a str>,
    pub room: Option<&'a str>,
    pub tags: Vec<&'a str>,
    pub recommended: bool,
}

fn note(title: &str, day: u32, talk: &NewTalk<'_>, body: &str) -> Result<String> {
    let meta = NewNote {
        title,
        speakers: talk.speakers.clone(),
        day,
        start: talk.start,
        room: talk.room,
        tags: talk.tags.clone(),
        recommended: talk.recommended,
    };
    let yaml = serde_saphyr::to_string(&meta).map_err(|e| Error::Serve {
        what: format!("could not write front matter: {e}"),
        help: "report this as a bug".into(),
    })?;
    Ok(format!("---\n{yaml}---\n{body}"))
}

/// What `init` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A one-recap site, with its Pages workflow.
    Site,
    /// A blog of recaps (`posts/`) with one sample recap, and its Pages workflow.
    Blog,
    /// A recap folder inside a blog's `posts/`: no workflow, no `.gitignore` (the blog's),
    /// and the blog's language unless one is given.
    Recap,
}

/// What `init` writes, relative to the new site's folder; `language` `None` is English (a
/// recap: the blog's).
pub fn starter_files(
    kind: Kind,
    language: Option<&str>,
    today: jiff::civil::Date,
) -> Result<Vec<(PathBuf, String)>> {
    let site_language = language.unwrap_or("en");
    let published = |files: &mut Vec<(PathBuf, String)>| {
        files.push((".gitignore".into(), gitignore()));
        files.push((".github/workflows/pages.yml".into(), pages_workflow()));
    };
    Ok(match kind {
        Kind::Site => {
            let mut files = recap_files(Some(site_language), true, today)?;
            published(&mut files);
            files
        }
        Kind::Recap => recap_files(language, false, today)?,
        Kind::Blog => {
            let title = match site_language {
                "da" => "Mine konferencenoter",
                _ => "My conference notes",
            };
            let mut files = vec![(
                PathBuf::from("summit.yaml"),
                format!(
                    "title: \"{title}\"\ndescription: \"\"\nauthor: \"\"\nlanguage: {site_language}\n# Your site's address; the GitHub Pages workflow passes the real one with --base-url.\nbase_url: \"/\"\n"
                ),
            )];
            let recap = Path::new("posts").join("my-conference");
            files.extend(
                recap_files(None, false, today)?
                    .into_iter()
                    .map(|(rel, text)| (recap.join(rel), text)),
            );
            published(&mut files);
            files
        }
    })
}

/// A recap's summit.yaml and sample notes: with `language` (else the blog's), and `base_url`
/// when it is a site of its own.
fn recap_files(
    language: Option<&str>,
    own_site: bool,
    today: jiff::civil::Date,
) -> Result<Vec<(PathBuf, String)>> {
    let tomorrow = today.tomorrow().unwrap_or(today);
    let (title, intro, outro, prompt) = match language {
        Some("da") => (
            "Mine noter fra konferencen",
            "Skriv her, hvorfor du tog afsted, og hvad du håbede at få med hjem.\n",
            "Tak til arrangørerne og talerne. Skriv her, hvad du tager med dig.\n",
            "Skriv dine noter her: hvem talte, hvad var godt, og bør andre se optagelsen?\n",
        ),
        _ => (
            "My conference notes",
            "Write here why you went and what you hoped to bring home.\n",
            "Thanks to the organisers and the speakers. Write here what you take away.\n",
            "Write your notes here: who spoke, what was good, and should others watch the recording?\n",
        ),
    };
    let title = if own_site {
        title
    } else {
        "My Conference: my notes"
    };
    let language = language.map_or(String::new(), |l| format!("language: {l}\n"));
    let site = if own_site { "author: \"\"\n" } else { "" };
    let base_url = if own_site {
        "# Your site's address; the GitHub Pages workflow passes the real one with --base-url.\nbase_url: \"/\"\n"
    } else {
        ""
    };
    let config = format!(
        "title: \"{title}\"\ndescription: \"\"\n{site}{language}{base_url}published: {tomorrow}\nevent:\n  name: \"My Conference\"\n  location: \"\"\n  timezone: Europe/Copenhagen\n  days:\n    - date: {today}\n    - date: {tomorrow}\n"
    );
    Ok(vec![
        ("summit.yaml".into(), config),
        ("content/intro.md".into(), intro.into()),
        ("content/outro.md".into(), outro.into()),
        (
            "content/talks/day-1/opening-keynote.md".into(),
            note("Opening keynote", 1, &sample("A Speaker", "09:00"), prompt)?,
        ),
        (
            "content/talks/day-2/closing-keynote.md".into(),
            note(
                "Closing keynote",
                2,
                &sample("Another Speaker", "16:00"),
                prompt,
            )?,
        ),
    ])
}

/// What `init DIR` makes there: a recap if DIR is a folder of a blog's `posts/`, else a site
/// (a blog with `blog`).
pub fn kind_at(dir: &Path, blog: bool) -> Kind {
    if blog {
        return Kind::Blog;
    }
    let absolute = std::env::current_dir().map_or_else(|_| dir.to_path_buf(), |d| d.join(dir));
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for c in absolute.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::CurDir => {}
            c => parts.push(c.as_os_str()),
        }
    }
    let path: PathBuf = parts.iter().collect();
    let in_posts = path
        .parent()
        .filter(|p| p.file_name().is_some_and(|n| n == "posts"))
        .and_then(Path::parent)
        .is_some_and(|blog| crate::config::path(blog).is_file());
    if in_posts { Kind::Recap } else { Kind::Site }
}

fn sample<'a>(speaker: &'a str, start: &'a str) -> NewTalk<'a> {
    NewTalk {
        speakers: vec![speaker],
        start: Some(start),
        ..NewTalk::default()
    }
}

/// What `init` did with each starter file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Starter {
    Written(PathBuf),
    /// Already there with the same text.
    Unchanged(PathBuf),
    /// Already there with other text (the writer's): left as it is.
    Kept(PathBuf),
}

/// The output, and what a build writes beside it (left behind only if a build is killed).
fn gitignore() -> String {
    format!("/public/\n/{}\n", crate::write::beside("public"))
}

/// Writes a new site into `dir`. A folder with anything in it (but a `.git`: a fresh clone
/// is fine) is refused unless `force`.
pub fn init(dir: &Path, kind: Kind, language: Option<&str>, force: bool) -> Result<Vec<Starter>> {
    if let Some(language) = language
        && crate::config::Language::from_code(language).is_none()
    {
        return Err(Error::from(vec![
            Diagnostic::new("--language", format!("unknown language `{language}`")).help(format!(
                "built-in languages are {}",
                crate::config::Language::codes()
            )),
        ]));
    }
    let occupied = std::fs::read_dir(dir).is_ok_and(|d| {
        d.filter_map(std::result::Result::ok)
            .any(|e| e.file_name() != ".git")
    });
    if occupied && !force {
        return Err(Error::Output {
            path: dir.to_path_buf(),
            reason: "is not empty".into(),
            help: "choose a new folder, or pass --force to add the starter files that are missing (files already there are kept)".into(),
        });
    }
    let today = jiff::ZonedDateTime::now().date();
    let mut done = Vec::new();
    for (rel, text) in starter_files(kind, language, today)? {
        let path = dir.join(&rel);
        // Never overwrite: a file already there is the writer's, whatever it holds.
        match std::fs::read(&path) {
            Ok(old) if old == text.as_bytes() => done.push(Starter::Unchanged(rel)),
            Ok(_) => done.push(Starter::Kept(rel)),
            Err(_) if path.symlink_metadata().is_ok() => done.push(Starter::Kept(rel)),
            Err(_) => {
                write_new(&path, &text)?;
                done.push(Starter::Written(rel));
            }
        }
    }
    Ok(done)
}

/// A file name for a talk: the URL slug where it keeps the title's letters, else the title's
/// own letters (`東京の講演.md`, not `talk.md`), so a note in any script is found by name.
fn file_stem(title: &str) -> String {
    let ascii = slugify(title);
    let mut own = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            own.push(c);
        } else if !own.is_empty() && !own.ends_with('-') {
            own.push('-');
        }
    }
    let own = own.trim_end_matches('-');
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
    if own.is_empty() || letters(&ascii) >= letters(own) {
        return ascii;
    }
    // At most 100 bytes, cut on a character.
    let mut end = own.len().min(100);
    while !own.is_char_boundary(end) {
        end -= 1;
    }
    own[..end].trim_end_matches('-').to_string()
}

/// Writes a new note for `day`; returns its path relative to the site, and warnings (a note
/// with the same title exists). `day` is the day's number or its date.
pub fn new_note(
    root: &Path,
    title: &str,
    day: &str,
    talk: &NewTalk<'_>,
) -> Result<(PathBuf, Vec<Diagnostic>)> {
    // The day must exist: read summit.yaml as a build would.
    let mut reads = crate::load::ReadCache::default();
    let inputs = crate::load::load(root, &mut reads)?;
    let config = match inputs.config.as_ref().map(crate::config::Config::parse) {
        Some(Ok(c)) => c,
        Some(Err(d)) => return Err(Error::from(d)),
        None => {
            return Err(Error::from(vec![Diagnostic::new(
                "summit.yaml",
                "could not be read",
            )]));
        }
    };
    let dates: Vec<_> = config.event.days.value.iter().map(|d| d.date).collect();
    let days = dates.len() as u32;
    let number = match (day.trim().parse::<u32>(), Date::parse(day)) {
        (Ok(n), _) if (1..=days).contains(&n) => n,
        (Ok(n), _) => {
            return Err(Error::from(vec![
                Diagnostic::new("--day", format!("day {n} does not exist"))
                    .help(format!("summit.yaml defines days 1 to {days}")),
            ]));
        }
        (_, Some(date)) => match dates.iter().position(|d| *d == date) {
            Some(i) => i as u32 + 1,
            None => {
                let listed: Vec<String> = dates.iter().map(ToString::to_string).collect();
                return Err(Error::from(vec![
                    Diagnostic::new("--day", format!("{date} is not a day of the event"))
                        .help(format!("summit.yaml lists {}", listed.join(", "))),
                ]));
            }
        },
        _ => {
            return Err(Error::from(vec![
                Diagnostic::new("--day", format!("`{day}` is not a day"))
                    .help("give the day's number (1, 2, …) or its date (YYYY-MM-DD)"),
            ]));
        }
    };
    let day = number;
    if title.trim().is_empty() {
        return Err(Error::from(vec![
            Diagnostic::new("TITLE", "the title is empty").help("give the talk its title"),
        ]));
    }
    let same_title: Vec<Diagnostic> = inputs
        .talks
        .iter()
        .filter_map(|src| {
            let t = crate::parse::talk(src).ok()?;
            let (l, c) = crate::parse::file_pos(&t.meta.title.referenced, t.yaml_line);
            (t.meta.title.value.trim().to_lowercase() == title.trim().to_lowercase()).then(|| {
                Diagnostic::new(&src.path, "a note with this title exists already")
                    .at(l, c)
                    .help("if it is the same talk, edit that note instead")
            })
        })
        .collect();
    let dir = PathBuf::from(format!("content/talks/day-{day}"));
    let slug = file_stem(title);
    let rel = (1..)
        .map(|n| match n {
            1 => dir.join(format!("{slug}.md")),
            n => dir.join(format!("{slug}-{n}.md")),
        })
        .find(|p| !root.join(p).exists())
        .unwrap_or_else(|| dir.join(format!("{slug}.md")));
    let talk = NewTalk {
        speakers: talk
            .speakers
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect(),
        room: talk.room.map(str::trim).filter(|r| !r.is_empty()),
        tags: talk
            .tags
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect(),
        ..*talk
    };
    let body =
        "Write your notes here: who spoke, what was good, and should others watch the recording?\n";
    let mut text = note(title.trim(), day, &talk, body)?;
    if talk.speakers.is_empty() {
        text = text.replacen(
            "speakers: []",
            "speakers: []   # who gave the talk, e.g. [Ada Lovelace]",
            1,
        );
    }
    if talk.start.is_none() {
        let day_line = format!("day: {day}\n");
        text = text.replacen(
            &day_line,
            &format!("{day_line}# start: \"14:30\"   # optional: when it started\n"),
            1,
        );
    }
    write_new(&root.join(&rel), &text)?;
    Ok((rel, same_title))
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("could not create", parent, e))?;
    }
    std::fs::write(path, text).map_err(|e| Error::io("could not write", path, e))
}
