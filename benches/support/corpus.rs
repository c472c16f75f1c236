//! Deterministic corpora for the benchmarks against the peers: N copies of
//! Issue 2 (the issue's reference case), and a varied archive whose issues
//! differ from each other (piece count and length, tables, code, long pasted
//! logs, images, footnotes in every kind of piece, Greek, Cyrillic, Arabic
//! and Hebrew text, timelines of varying length across time zones), so that
//! no cache can serve one issue's work to the next. The same seed always
//! writes the same bytes.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// A small seeded generator (SplitMix64): deterministic and dependency-free.
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `percent` in 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// One item of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }
}

/// The zine.toml every generated project uses.
const ZINE: &str = "title = \"Synthetic\"\nbase_url = \"https://zine.example.com\"\npublisher = \"Bench\"\nemail = \"z@example.com\"\ndescription = \"Generated.\"\nlanguage = \"en\"\n";

/// Writes `text` at `root/rel`, making folders as needed.
fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The issue's slug and date for the `i`th issue (0-based): one a month.
fn month(i: usize) -> (String, i32, u32) {
    let (year, month) = (2020 + (i / 12) as i32, (i % 12) as u32 + 1);
    (format!("issue-{:03}", i + 1), year, month)
}

/// Writes `n` copies of the repository's Issue 2 (and its pocket zine, once)
/// into `root`; each copy gets its own number and month. Returns the piece count.
pub fn copies(root: &Path, repo: &Path, n: usize) -> usize {
    let zine = std::fs::read_to_string(repo.join("zine.toml")).unwrap();
    write(root, "zine.toml", &zine);
    copy_dir(&repo.join("pocket"), &root.join("pocket"));
    let source = repo.join("issues/march-2020");
    let toml = std::fs::read_to_string(source.join("issue.toml")).unwrap();
    // Keep everything above [next_issue]: the copies have no announced successor.
    let head = toml.split("[next_issue]").next().unwrap();
    let mut pieces = 0;
    for i in 0..n {
        let (slug, year, month) = month(i);
        let dir = root.join("issues").join(&slug);
        copy_dir(&source, &dir);
        let issue: String = head
            .lines()
            .map(|line| {
                if line.starts_with("number =") {
                    format!("number = {}", i + 1)
                } else if line.starts_with("date =") {
                    format!("date = {year}-{month:02}-01")
                } else if line.starts_with("title =") {
                    format!("title = \"Learning at Home, copy {}\"", i + 1)
                } else {
                    line.to_string()
                }
            })
            .map(|line| line + "\n")
            .collect();
        std::fs::write(dir.join("issue.toml"), issue).unwrap();
        pieces += 6;
    }
    pieces
}

/// Copies a folder's files, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// English sentences the prose is drawn from (our own words).
const EN: &[&str] = &[
    "The on-call engineer saw the error rate climb and opened the dashboards.",
    "Nobody had touched the load balancer in months, which is why everyone looked at it last.",
    "A retry storm is polite on its own and ruinous in a crowd.",
    "The runbook said to restart the service, and the runbook was three versions old.",
    "We kept a shared document open and wrote down every guess with the time beside it.",
    "Queues filled faster than workers could drain them, so latency rose in steps.",
    "The rollback finished at last, but caches stayed cold for another twenty minutes.",
    "Customers noticed before the alerts did, and told us through the support inbox.",
    "Each team saw a different part of the elephant and described it carefully.",
    "The fix was one line; finding the line took four hours and eleven people.",
    "Disk usage on the primary crept upwards until the database refused new writes.",
    "It made sense at the time: the change had passed every test we had.",
    "A configuration push reached every region at once instead of one at a time.",
    "We learned that our health checks measured whether a process lived, not whether it worked.",
    "After the incident the team wrote down what surprised them, not who to blame.",
    "Certificates expire on a schedule that nobody remembers until the day they do.",
];

/// Sentences in other scripts that DejaVu Sans, the embedded fallback, covers.
const OTHER: &[&str] = &[
    "Η ομάδα βάρδιας είδε τα σφάλματα να αυξάνονται και άνοιξε τους πίνακες ελέγχου.",
    "Η επαναφορά ολοκληρώθηκε, αλλά οι κρυφές μνήμες έμειναν κρύες για είκοσι λεπτά.",
    "Дежурный инженер заметил рост ошибок и открыл панели мониторинга.",
    "Откат завершился, но кэши оставались холодными ещё двадцать минут.",
    "Очередь росла быстрее, чем её успевали разбирать обработчики.",
    "رأى المهندس المناوب ارتفاع الأخطاء وفتح لوحات المراقبة.",
    "انتهى التراجع أخيرا لكن الذاكرة المؤقتة بقيت باردة عشرين دقيقة.",
    "המהנדס התורן ראה את השגיאות עולות ופתח את לוחות הבקרה.",
];

/// A paragraph of `sentences` sentences, now and then one in another script.
fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    let mut out = Vec::new();
    for _ in 0..sentences {
        if rng.chance(12) {
            out.push(rng.pick(OTHER).to_string());
        } else {
            let s = *rng.pick(EN);
            // Inline marks now and then, so lines differ in their runs.
            out.push(match rng.range(0, 9) {
                0 => format!("*{s}*"),
                1 => s.replacen("the ", "the `service-api-prd-7` ", 1),
                2 => format!("{s} ~~Or so we thought.~~"),
                _ => s.to_string(),
            });
        }
    }
    out.join(" ")
}

/// A footnote reference and its definition, numbered from `notes`.
fn footnote(rng: &mut Rng, notes: &mut Vec<String>) -> String {
    let label = format!("n{}", notes.len() + 1);
    let sentences = rng.range(1, 3);
    let text = paragraph(rng, sentences);
    notes.push(format!("[^{label}]: {text}"));
    format!("[^{label}]")
}

/// Several paragraphs of prose, with a footnote in some of them.
fn prose(rng: &mut Rng, paragraphs: usize, notes: &mut Vec<String>) -> String {
    let mut out = String::new();
    for _ in 0..paragraphs {
        let n = rng.range(1, 10);
        let mut p = paragraph(rng, n);
        if rng.chance(25) {
            p.push_str(&footnote(rng, notes));
        }
        out.push_str(&p);
        out.push_str("\n\n");
    }
    out
}

/// A Markdown table of random size.
fn table(rng: &mut Rng) -> String {
    let cols = rng.range(2, 5);
    let rows = rng.range(2, 14);
    let heads = ["metric", "before", "after", "region", "owner", "note"];
    let mut out = format!("| {} |\n", heads[..cols].join(" | "));
    out.push_str(&format!("|{}\n", " --- |".repeat(cols)));
    for r in 0..rows {
        let cells: Vec<String> = (0..cols)
            .map(|c| match c {
                0 => format!("row {r}"),
                1 | 2 => format!("{}.{}%", rng.range(0, 99), rng.range(0, 9)),
                _ => rng.pick(EN).split(',').next().unwrap().to_string(),
            })
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// A short code block in one of a few languages.
fn code(rng: &mut Rng) -> String {
    let lines = rng.range(3, 30);
    let lang = *rng.pick(&["text", "rust", "yaml", "sh", ""]);
    let mut out = format!("```{lang}\n");
    for l in 0..lines {
        let _ = writeln!(
            out,
            "{}step_{l} = retry(timeout={}ms, attempts={})",
            "  ".repeat(l % 3),
            rng.range(10, 5000),
            rng.range(1, 9)
        );
    }
    out.push_str("```\n");
    out
}

/// A long pasted log, as a code block of `lines` lines.
fn log(rng: &mut Rng, lines: usize) -> String {
    let levels = ["INFO", "WARN", "ERROR", "DEBUG"];
    let what = [
        "upstream timeout after 30000ms",
        "connection reset by peer",
        "GET /api/v9/gateway 503",
        "lease expired; re-electing leader",
        "queue depth 48211 above threshold 10000",
        "health check passed",
    ];
    let mut out = String::from("```text\n");
    for l in 0..lines {
        let _ = writeln!(
            out,
            "2021-06-{:02}T{:02}:{:02}:{:02}.{:03}Z {:5} node-{} {}",
            rng.range(1, 28),
            (l / 3600) % 24,
            (l / 60) % 60,
            l % 60,
            rng.range(0, 999),
            rng.pick(&levels),
            rng.range(1, 64),
            rng.pick(&what)
        );
    }
    out.push_str("```\n");
    out
}

/// An SVG bar chart of random data, so no two issues share a drawing.
fn chart(rng: &mut Rng) -> String {
    let bars = rng.range(4, 40);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} 100\">",
        bars * 10
    );
    for b in 0..bars {
        let h = rng.range(5, 95);
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"{h}\" fill=\"#{:06x}\"/>",
            b * 10,
            100 - h,
            rng.next() & 0x7f7f7f
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Front matter in TOML (most pieces) or YAML (some), as writers mix them.
fn front(rng: &mut Rng, kind: &str, title: &str, extra: &str) -> String {
    if extra.is_empty() && rng.chance(30) {
        format!("---\nkind: {kind}\ntitle: \"{title}\"\n---\n\n")
    } else {
        format!("+++\nkind = \"{kind}\"\ntitle = \"{title}\"\n{extra}+++\n\n")
    }
}

/// Footnote definitions at the end of a piece.
fn notes_text(notes: &[String]) -> String {
    if notes.is_empty() {
        String::new()
    } else {
        format!("\n{}\n", notes.join("\n\n"))
    }
}

/// Zones incidents are written in; the offset (minutes) is for entries in
/// other zones, so it is given only where it never changes.
const ZONES: &[(&str, Option<i64>)] = &[
    ("America/Los_Angeles", None),
    ("Europe/Berlin", None),
    ("Australia/Sydney", None),
    ("UTC", Some(0)),
    ("Asia/Tokyo", Some(540)),
    ("Asia/Kolkata", Some(330)),
    ("America/Sao_Paulo", Some(-180)),
];

/// An incident write-up with a timeline of `entries` entries; returns its text.
fn incident(rng: &mut Rng, i: usize, k: usize, year: i32, month: u32) -> String {
    let (zone, offset) = *rng.pick(ZONES);
    // Days 15 to 20 (and the one or two after) are clear of every zone's
    // daylight-saving changes, so no local time is skipped or doubled.
    let day = rng.range(15, 20) as u32;
    let entries = rng.range(3, 40);
    let mut notes = Vec::new();
    let mut t = rng.range(0, 23) * 60 + rng.range(0, 59); // minutes from the day's midnight
    let mut times = Vec::new();
    let mut timeline = String::new();
    if rng.chance(50) {
        timeline.push_str("All times are local to the team that ran the response.\n\n");
    }
    let cast = rng.chance(40);
    // The date that bare local times are read on: it changes only where an
    // entry writes a date.
    let mut written_day = 0;
    for e in 0..entries {
        let d = t / 1440;
        let (hh, mm) = ((t % 1440) / 60, t % 60);
        let gap = rng.range(1, 90);
        let label = match offset {
            // Now and then an entry in another zone, converted by pir.
            Some(off) if e > 0 && d == written_day && rng.chance(20) => {
                let (tag, tag_off) = *rng.pick(&[("UTC", 0), ("UTC+2", 120), ("UTC-5", -300)]);
                let m = (t as i64 - off + tag_off).rem_euclid(1440);
                format!("{:02}:{:02} {tag}", m / 60, m % 60)
            }
            _ if d != written_day => {
                written_day = d;
                format!("{year}-{month:02}-{:02} {hh:02}:{mm:02}", day + d as u32)
            }
            // Now and then a range that ends before the next entry, the same day.
            _ if gap > 10 && (t + gap - 1) / 1440 == d && rng.chance(15) => {
                let end = t + rng.range(1, gap - 1);
                format!(
                    "{hh:02}:{mm:02} to {:02}:{:02}",
                    (end % 1440) / 60,
                    end % 60
                )
            }
            _ => format!("{hh:02}:{mm:02}"),
        };
        times.push((t, d));
        let who = if cast && rng.chance(50) {
            "@oncall "
        } else {
            ""
        };
        let sentences = rng.range(1, 3);
        let mut text = format!("- [{label}] {who}{}", paragraph(rng, sentences));
        if rng.chance(10) {
            text.push_str(&footnote(rng, &mut notes));
        }
        timeline.push_str(&text);
        timeline.push('\n');
        t += gap;
    }
    // Key moments: the first, second, a middle and the last entry, with
    // their dates so that a time of day shared by two days is never ambiguous.
    let at = |(t, d): (usize, usize)| {
        format!(
            "{year}-{month:02}-{:02} {:02}:{:02}",
            day + d as u32,
            (t % 1440) / 60,
            t % 60
        )
    };
    let mut moments = format!(
        "impact_start = \"{}\"\nresolved = \"{}\"\n",
        at(times[0]),
        at(times[entries - 1])
    );
    if entries > 3 {
        let _ = write!(
            moments,
            "detected = \"{}\"\nmitigated = \"{}\"\n",
            at(times[1]),
            at(times[entries / 2 + 1])
        );
    }
    let cast_toml = if cast {
        "\n[[cast]]\nid = \"oncall\"\nname = \"The on-call engineer\"\nrole = \"Platform team\"\ngoals = \"Bring the service back without losing data.\"\n"
    } else {
        ""
    };
    let extra = format!(
        "organization = \"Org {i}-{k}\"\npublished = {year}-{month:02}-25\ndate = {year}-{month:02}-{day:02}\ntimezone = \"{zone}\"\nimpact = \"{}\"\nsources = [\"https://status.example.com/{i}/{k}\"]\n{cast_toml}\n[key_moments]\n{moments}",
        rng.pick(EN)
    );
    let mut body = front(rng, "incident", &format!("Outage {i}-{k}"), &extra);
    body.push_str("## Summary\n\n");
    let n = rng.range(1, 4);
    body.push_str(&prose(rng, n, &mut notes));
    body.push_str("## Timeline\n\n");
    body.push_str(&timeline);
    body.push_str("\n## Investigation and analysis\n\n");
    let n = rng.range(2, 12);
    body.push_str(&prose(rng, n, &mut notes));
    if rng.chance(70) {
        body.push_str(&table(rng));
        body.push('\n');
    }
    if rng.chance(70) {
        body.push_str(&code(rng));
        body.push('\n');
    }
    if rng.chance(25) {
        let lines = rng.range(200, 2500);
        body.push_str(
            "The service's log from the first minutes, as it was pasted into the channel:\n\n",
        );
        body.push_str(&log(rng, lines));
        body.push('\n');
    }
    if rng.chance(60) {
        body.push_str(&format!(
            "![A chart of errors during outage {i}-{k}](chart-{k}.svg)\n\n"
        ));
    }
    if rng.chance(30) {
        body.push_str("![The pager at three in the morning](three-am-page.svg)\n\n");
    }
    body.push_str("## Action items\n\n");
    for a in 0..rng.range(1, 8) {
        body.push_str(&format!("{}. {}\n", a + 1, rng.pick(EN)));
    }
    body.push_str(&notes_text(&notes));
    body
}

/// Writes a project of `n` varied issues into `root`, from `seed`; copies
/// the repository's own drawing (`repo/issues/march-2020/three-am-page.svg`)
/// into each issue. Returns the piece count.
pub fn varied(root: &Path, repo: &Path, n: usize, seed: u64) -> usize {
    write(root, "zine.toml", ZINE);
    let drawing =
        std::fs::read_to_string(repo.join("issues/march-2020/three-am-page.svg")).unwrap();
    let mut rng = Rng::new(seed);
    let mut total = 0;
    for i in 0..n {
        let (slug, year, month) = month(i);
        let mut pieces: Vec<(String, String)> = Vec::new();
        let dir = format!("issues/{slug}");
        write(root, &format!("{dir}/three-am-page.svg"), &drawing);

        let mut notes = Vec::new();
        let n = rng.range(1, 5);
        let mut text = front(&mut rng, "editors-note", &format!("Note {i}"), "");
        text.push_str(&prose(&mut rng, n, &mut notes));
        text.push_str(&format!(
            "Thanks for reading{}.\n",
            footnote(&mut rng, &mut notes)
        ));
        text.push_str(&notes_text(&notes));
        pieces.push(("note.md".into(), text));

        for k in 0..rng.range(1, 3) {
            write(root, &format!("{dir}/chart-{k}.svg"), &chart(&mut rng));
            pieces.push((
                format!("incident-{k}.md"),
                incident(&mut rng, i, k, year, month),
            ));
        }

        for k in 0..rng.range(0, 2) {
            let mut notes = Vec::new();
            let mut text = front(&mut rng, "feature", &format!("Essay {i}-{k}"), "");
            for part in 0..rng.range(1, 6) {
                text.push_str(&format!("## Part {}\n\n", part + 1));
                let n = rng.range(1, 8);
                text.push_str(&prose(&mut rng, n, &mut notes));
                if rng.chance(30) {
                    text.push_str(&format!("> {}\n\n", paragraph(&mut rng, 3)));
                }
                if rng.chance(20) {
                    text.push_str("- [x] Wrote the timeline\n- [ ] Shared the draft\n  - with the team\n  - with the readers\n\n");
                }
            }
            text.push_str(&format!(
                "See [the write-up](incident-0.md#timeline){}.\n",
                footnote(&mut rng, &mut notes)
            ));
            text.push_str(&notes_text(&notes));
            pieces.push((format!("essay-{k}.md"), text));
        }

        if rng.chance(70) {
            let mut notes = Vec::new();
            let mut text = front(&mut rng, "etcetera", "Etcetera", "");
            for l in 0..rng.range(2, 10) {
                text.push_str(&format!(
                    "- [A link](https://example.com/{i}/{l}): {}\n",
                    rng.pick(EN)
                ));
            }
            text.push_str(&format!(
                "\n{}{}\n",
                paragraph(&mut rng, 2),
                footnote(&mut rng, &mut notes)
            ));
            text.push_str(&notes_text(&notes));
            pieces.push(("etc.md".into(), text));
        }

        if rng.chance(60) {
            let mut notes = Vec::new();
            let image = if rng.chance(50) {
                "three-am-page.svg"
            } else {
                "chart-0.svg"
            };
            let extra = format!("image = \"{image}\"\nalt = \"A drawing for issue {i}\"\n");
            let mut text = front(&mut rng, "illustration", "Art", &extra);
            text.push_str(&format!(
                "Colour me in{}.\n",
                footnote(&mut rng, &mut notes)
            ));
            text.push_str(&notes_text(&notes));
            pieces.push(("art.md".into(), text));
        }

        let mut notes = Vec::new();
        let mut text = front(&mut rng, "back-cover", "Back", "");
        text.push_str(&format!(
            "See you next month{}.\n",
            footnote(&mut rng, &mut notes)
        ));
        text.push_str(&notes_text(&notes));
        pieces.push(("back.md".into(), text));

        let list: Vec<String> = pieces.iter().map(|(f, _)| format!("\"{f}\"")).collect();
        write(
            root,
            &format!("{dir}/issue.toml"),
            &format!(
                "number = {}\ntitle = \"Issue {}\"\ndate = {year}-{month:02}-01\neditors = [\"A\", \"B\"]\npieces = [{}]\n",
                i + 1,
                i + 1,
                list.join(", ")
            ),
        );
        total += pieces.len();
        for (file, text) in pieces {
            write(root, &format!("{dir}/{file}"), &text);
        }
    }
    total
}

/// Minimal Hugo layouts: a home page listing the issues, an issue page
/// with its pieces in full, and a page per piece (as pir's site has).
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    ),
    (
        "index.html",
        "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1><ul>{{ range .Sections.Reverse }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    ),
    (
        "_default/list.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ range .Pages.ByWeight }}<article><h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2>{{ .Content }}</article>{{ end }}{{ end }}\n",
    ),
    (
        "_default/single.html",
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}\n",
    ),
];

/// Writes a Hugo project into `dst` with the same pieces as the pir project
/// at `src`: one section per issue, one page per piece (its Markdown body
/// under front matter with its title and reading order), the drawings in
/// `static/`, and minimal layouts. Zola, which the issue names, is on no
/// registry this machine reaches; Hugo is the same kind of tool (one binary,
/// Markdown with TOML front matter, Go templates) and is a Debian package.
/// Returns the page count.
pub fn hugo(src: &Path, dst: &Path) -> usize {
    write(
        dst,
        "hugo.toml",
        "baseURL = \"https://zine.example.com/\"\ntitle = \"Synthetic\"\nlanguageCode = \"en\"\ndisableKinds = [\"taxonomy\", \"term\"]\n[markup.goldmark.renderer]\nunsafe = false\n",
    );
    for (name, text) in HUGO_LAYOUTS {
        write(dst, &format!("layouts/{name}"), text);
    }
    write(
        dst,
        "content/_index.md",
        "+++\ntitle = \"Synthetic\"\n+++\n",
    );
    let mut issues: Vec<_> = std::fs::read_dir(src.join("issues"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    issues.sort();
    let mut pages = 0;
    for dir in issues {
        let slug = dir.file_name().unwrap().to_string_lossy().into_owned();
        let toml = std::fs::read_to_string(dir.join("issue.toml")).unwrap();
        let value = |key: &str| {
            toml.lines()
                .find_map(|l| l.strip_prefix(&format!("{key} = ")))
                .unwrap_or("\"\"")
                .to_string()
        };
        let list = value("pieces");
        let order: Vec<&str> = list
            .trim_matches(|c| c == '[' || c == ']')
            .split(',')
            .map(|p| p.trim().trim_matches('"'))
            .collect();
        write(
            dst,
            &format!("content/{slug}/_index.md"),
            &format!("+++\ntitle = {}\n+++\n", value("title")),
        );
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "svg" || e == "png") {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                write(dst, &format!("static/{slug}/{name}"), "");
                std::fs::copy(&path, dst.join("static").join(&slug).join(name)).unwrap();
            }
        }
        for (weight, piece) in order.iter().enumerate() {
            let text = std::fs::read_to_string(dir.join(piece)).unwrap();
            let delim = &text[..3];
            let (front, body) = text[3..].split_once(&format!("\n{delim}\n")).unwrap();
            let title = front
                .lines()
                .find_map(|l| {
                    l.strip_prefix("title = ")
                        .or_else(|| l.strip_prefix("title: "))
                })
                .unwrap_or("\"\"")
                .trim_matches('"')
                .replace('"', "\\\"");
            write(
                dst,
                &format!("content/{slug}/{piece}"),
                &format!(
                    "+++\ntitle = \"{title}\"\nweight = {}\n+++\n{body}",
                    weight + 1
                ),
            );
            pages += 1;
        }
    }
    pages
}
