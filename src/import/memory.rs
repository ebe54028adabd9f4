//! `imported.yaml`: which talks import has written notes for, and which of them the writer
//! removed. It sits at the site root (the build never reads it), is plain YAML with a header
//! saying what it is, sorted by id, and is meant to be committed with the notes.
//!
//! A talk is *removed* when its id is listed under `imported` but no note has it any more: the
//! writer deleted the note. Removed talks are never written again, unless `--restore` (or the
//! writer deletes their line here). Whether a talk is removed follows from this file and the
//! notes on disk, both inputs the writer sees and can edit.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The file's name, at the site root.
pub const FILE: &str = "imported.yaml";

/// id → title, for talks with a note and for talks whose note the writer deleted.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Memory {
    #[serde(default)]
    pub imported: BTreeMap<String, String>,
    #[serde(default)]
    pub removed: BTreeMap<String, String>,
}

const HEADER: &str = "# Written by `summit-gen import`; commit it with your notes.\n\
# `imported`: the talks import wrote a note for, by the schedule's id.\n\
# `removed`: talks whose note you deleted; import does not write them again. To bring one\n\
# back, delete its line here, or run `summit-gen import SCHEDULE --restore` for all of them.\n";

/// The file as it is now (text, if any) and what it says.
pub fn load(root: &Path) -> Result<(Option<String>, Memory)> {
    let path = root.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((None, Memory::default())),
        Err(e) => return Err(Error::io("could not read", &path, e)),
    };
    let shown = crate::load::display_path(root, Path::new(FILE));
    let memory: Memory = crate::yaml::from_str(&text, &shown, 1).map_err(|d| {
        Error::from(
            d.into_iter()
                .map(|d| {
                    d.help(format!(
                        "fix it, or delete {FILE} (import then forgets which notes you deleted)"
                    ))
                })
                .collect::<Vec<_>>(),
        )
    })?;
    Ok((Some(text), memory))
}

/// The file's text for `memory`.
pub fn render(memory: &Memory) -> Result<String> {
    let yaml = serde_saphyr::to_string(memory).map_err(|e| Error::Serve {
        what: format!("could not write YAML: {e}"),
        help: "report this as a bug".into(),
    })?;
    let newline = if yaml.ends_with('\n') { "" } else { "\n" };
    Ok(format!("{HEADER}{yaml}{newline}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_ids_that_look_like_numbers() {
        let mut m = Memory::default();
        m.imported.insert("1237".into(), "yes".into());
        m.imported
            .insert("a: b".into(), "Title: with # hash".into());
        m.removed.insert("007".into(), "null".into());
        let text = render(&m).expect("render");
        assert!(text.starts_with("# Written by"), "{text}");
        let back: Memory = crate::yaml::from_str(&text, Path::new(FILE), 1).expect("parse");
        assert_eq!(back, m, "{text}");
    }
}
