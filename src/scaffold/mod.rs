//! `init` and `new`: files a writer starts from. Writing goes through here; nothing is ever
//! overwritten unless asked (`init --force` replaces only the files it would create).

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
    tags: Vec<&'a str>,
    recommended: bool,
}

fn note(
    title: &str,
    speakers: &[&str],
    day: u32,
    start: Option<&str>,
    body: &str,
) -> Result<String> {
    let meta = NewNote {
        title,
        speakers: speakers.to_vec(),
        day,
        start,
        tags: Vec::new(),
        recommended: false,
    };
    let yaml = serde_saphyr::to_string(&meta).map_err(|e| Error::Serve {
        what: format!("could not write front matter: {e}"),
        help: "report this as a bug".into(),
    })?;
    Ok(format!("---\n{yaml}---\n{body}"))
}

/// What `init` writes, relative to the new site's folder.
pub fn site_files(language: &str, today: jiff::civil::Date) -> Result<Vec<(PathBuf, String)>> {
    let tomorrow = today.tomorrow().unwrap_or(today);
    let (title, intro, outro, prompt) = match language {
        "da" => (
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
    let config = format!(
        "title: \"{title}\"\ndescription: \"\"\nauthor: \"\"\nlanguage: {language}\n# Your site's address; the GitHub Pages workflow passes the real one with --base-url.\nbase_url: \"/\"\npublished: {tomorrow}\nevent:\n  name: \"My Conference\"\n  location: \"\"\n  timezone: Europe/Copenhagen\n  days:\n    - date: {today}\n    - date: {tomorrow}\n"
    );
    Ok(vec![
        ("summit.yaml".into(), config),
        ("content/intro.md".into(), intro.into()),
        ("content/outro.md".into(), outro.into()),
        (
            "content/talks/day-1/opening-keynote.md".into(),
            note("Opening keynote", &["A Speaker"], 1, Some("09:00"), prompt)?,
        ),
        (
            "content/talks/day-2/closing-keynote.md".into(),
            note(
                "Closing keynote",
                &["Another Speaker"],
                2,
                Some("16:00"),
                prompt,
            )?,
        ),
        (".gitignore".into(), gitignore()),
        (".github/workflows/pages.yml".into(), pages_workflow()),
    ])
}

/// The output, and the folders a build writes beside it (left behind only if a build is
/// interrupted).
fn gitignore() -> String {
    let [new, old] = crate::write::beside("public");
    format!("/public/\n/{new}/\n/{old}/\n")
}

/// Writes a new site into `dir`. A folder with anything in it (but a `.git`: a fresh clone
/// is fine) is refused unless `force`.
pub fn init(dir: &Path, language: &str, force: bool) -> Result<Vec<PathBuf>> {
    if crate::config::Language::from_code(language).is_none() {
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
            help: "choose a new folder, or pass --force to add the starter files (existing files with the same names are replaced)".into(),
        });
    }
    let today = jiff::ZonedDateTime::now().date();
    let mut written = Vec::new();
    for (rel, text) in site_files(language, today)? {
        let path = dir.join(&rel);
        write_new(&path, &text)?;
        written.push(rel);
    }
    Ok(written)
}

/// Writes a new note for `day`; returns its path relative to the site.
/// `day` is the day's number or its date; `speakers` may be empty.
pub fn new_note(root: &Path, title: &str, day: &str, speakers: &[&str]) -> Result<PathBuf> {
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
    let dir = PathBuf::from(format!("content/talks/day-{day}"));
    let slug = slugify(title);
    let rel = (1..)
        .map(|n| match n {
            1 => dir.join(format!("{slug}.md")),
            n => dir.join(format!("{slug}-{n}.md")),
        })
        .find(|p| !root.join(p).exists())
        .unwrap_or_else(|| dir.join(format!("{slug}.md")));
    let speakers: Vec<&str> = speakers
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    let body =
        "Write your notes here: who spoke, what was good, and should others watch the recording?\n";
    let mut text = note(title.trim(), &speakers, day, None, body)?;
    if speakers.is_empty() {
        text = text.replacen(
            "speakers: []",
            "speakers: []   # who gave the talk, e.g. [Ada Lovelace]",
            1,
        );
    }
    let day_line = format!("day: {day}\n");
    text = text.replacen(
        &day_line,
        &format!("{day_line}# start: \"14:30\"   # optional: when it started\n"),
        1,
    );
    write_new(&root.join(&rel), &text)?;
    Ok(rel)
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io("could not create", parent, e))?;
    }
    std::fs::write(path, text).map_err(|e| Error::io("could not write", path, e))
}
