//! Reading a Slack export: the folder Slack's export tool gives, or its
//! `.zip`, and the parts of its documented JSON that the importer uses.
//!
//! An export holds `users.json` (every member: `id`, `name`, `is_bot`,
//! `deleted`, and a `profile` with `display_name`, `real_name` and
//! `title`), `channels.json` (each channel's `id`, `name`, `topic`,
//! `purpose` and `pins`) and a folder per channel with one file per day
//! (`2024-03-05.json`), each a list of messages (`ts`, `user`, `text`,
//! `subtype`, `thread_ts`, `reactions`, `bot_id`, `pinned_to`). Fields the
//! importer does not use are ignored; a field it uses with the wrong shape is
//! an error that names the file and the field. A zip's entries are read by
//! name, each at most [`MAX_FILE`] bytes, and never written anywhere.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The largest file of an export the importer reads (a day of a busy channel is far smaller).
pub const MAX_FILE: u64 = 64 << 20;

/// A member of the workspace.
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    /// The handle (`priya`).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub real_name: Option<String>,
    #[serde(default)]
    pub is_bot: bool,
    #[serde(default)]
    pub profile: Profile,
}

/// How a member presents themselves.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub real_name: String,
    /// Their job title, which becomes their role in the cast.
    #[serde(default)]
    pub title: String,
}

/// A channel.
#[derive(Debug, Clone, Deserialize)]
pub struct Channel {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub topic: Option<Text>,
    #[serde(default)]
    pub purpose: Option<Text>,
    /// The channel's pinned messages (their `id` is the message's `ts`).
    #[serde(default)]
    pub pins: Vec<Pin>,
}

/// A channel's topic or purpose.
#[derive(Debug, Clone, Deserialize)]
pub struct Text {
    #[serde(default)]
    pub value: String,
}

/// A pinned item of a channel.
#[derive(Debug, Clone, Deserialize)]
pub struct Pin {
    pub id: String,
}

/// One message of a channel's day.
#[derive(Debug, Clone, Deserialize)]
pub struct Message {
    /// Seconds since 1970 in UTC, with microseconds: `1709647320.000200`; also the message's id.
    pub ts: String,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub text: String,
    /// `channel_join`, `bot_message`, `message_changed`...; none for what a person wrote.
    #[serde(default)]
    pub subtype: Option<String>,
    /// The `ts` of the thread's first message, for a message in a thread.
    #[serde(default)]
    pub thread_ts: Option<String>,
    #[serde(default)]
    pub reactions: Vec<Reaction>,
    #[serde(default)]
    pub bot_id: Option<String>,
    /// The channels it is pinned in.
    #[serde(default)]
    pub pinned_to: Vec<String>,
}

/// A reaction on a message: the emoji's name and who reacted.
#[derive(Debug, Clone, Deserialize)]
pub struct Reaction {
    pub name: String,
}

/// An export, as a folder or a zip.
pub enum Export {
    Folder(PathBuf),
    Zip {
        archive: Box<zip::ZipArchive<std::fs::File>>,
        /// The folder inside the zip that holds `users.json` (often the export's name, or nothing).
        prefix: String,
    },
}

impl Export {
    /// Opens an export folder or `.zip`.
    pub fn open(path: &Path) -> Result<Export, String> {
        if path.is_dir() {
            return Ok(Export::Folder(path.to_path_buf()));
        }
        let file = std::fs::File::open(path).map_err(|e| format!("cannot open it: {e}"))?;
        let archive = zip::ZipArchive::new(file)
            .map_err(|e| format!("it is neither a folder nor a zip file Slack exported ({e})"))?;
        // users.json at the shallowest place tells where the export starts.
        let prefix = archive
            .file_names()
            .filter_map(Result::ok)
            .filter(|n| n == "users.json" || n.ends_with("/users.json"))
            .min_by_key(|n| n.matches('/').count())
            .map(|n| n.trim_end_matches("users.json").to_string())
            .ok_or("the zip has no users.json: is it a Slack export?")?;
        Ok(Export::Zip {
            archive: Box::new(archive),
            prefix,
        })
    }

    /// The text of a file of the export, by its path inside it; `None` if it has none.
    pub fn read(&mut self, name: &str) -> Result<Option<String>, String> {
        let mut text = String::new();
        match self {
            Export::Folder(dir) => {
                let path = dir.join(name);
                let Ok(file) = std::fs::File::open(&path) else {
                    return Ok(None);
                };
                file.take(MAX_FILE + 1)
                    .read_to_string(&mut text)
                    .map_err(|e| format!("{name}: {e}"))?;
            }
            Export::Zip { archive, prefix } => {
                let Ok(entry) = archive.by_name(&format!("{prefix}{name}")) else {
                    return Ok(None);
                };
                entry
                    .take(MAX_FILE + 1)
                    .read_to_string(&mut text)
                    .map_err(|e| format!("{name}: {e}"))?;
            }
        }
        if text.len() as u64 > MAX_FILE {
            return Err(format!(
                "{name} is larger than {} MiB, more than pir reads",
                MAX_FILE >> 20
            ));
        }
        Ok(Some(text))
    }

    /// The day files of a channel's folder (`2024-03-05.json`), in date order.
    pub fn days(&self, channel: &str) -> Vec<String> {
        let mut days: Vec<String> = match self {
            Export::Folder(dir) => std::fs::read_dir(dir.join(channel))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| e.file_name().to_str().map(String::from))
                .collect(),
            Export::Zip { archive, prefix } => {
                let folder = format!("{prefix}{channel}/");
                archive
                    .file_names()
                    .filter_map(Result::ok)
                    .filter_map(|n| n.strip_prefix(&folder).map(String::from))
                    .filter(|n| !n.contains('/'))
                    .collect()
            }
        };
        days.retain(|d| is_day_file(d));
        days.sort();
        days
    }

    /// Reads and parses a JSON file of the export; errors name the file and the field.
    pub fn json<T: DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, String> {
        let Some(text) = self.read(name)? else {
            return Ok(None);
        };
        let de = &mut serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(de).map(Some).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() || path == "." {
                format!("{name} is not JSON pir can read: {inner}")
            } else {
                format!("{name}: `{path}`: {inner}")
            }
        })
    }
}

/// Whether a file name is a day of a channel: `YYYY-MM-DD.json`.
fn is_day_file(name: &str) -> bool {
    name.strip_suffix(".json")
        .is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
}

/// A message's `ts` as an instant (seconds and microseconds since 1970, UTC).
pub fn instant(ts: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let (secs, frac) = ts.split_once('.').unwrap_or((ts, "0"));
    let micros: u32 = format!("{frac:0<6}").get(..6)?.parse().ok()?;
    chrono::DateTime::from_timestamp(secs.parse().ok()?, micros * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ts_is_seconds_and_microseconds() {
        let at = instant("1709647320.000200").unwrap();
        assert_eq!(at.to_rfc3339(), "2024-03-05T14:02:00.000200+00:00");
        assert_eq!(instant("1709647320").unwrap().timestamp(), 1709647320);
        assert!(instant("soon").is_none());
        assert!(is_day_file("2024-03-05.json") && !is_day_file("users.json"));
    }
}
