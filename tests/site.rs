//! The website as a reader and a crawler meet it: well-formed pages, links
//! and images that resolve, a feed that parses as Atom, valid timeline times.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;

/// Builds the repository's project into a temp folder; returns (guard, public/).
fn build_site(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run = pir()
        .arg("--root")
        .arg(repo())
        .arg("build")
        .args(extra)
        .arg("--output")
        .arg(&public)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (out, public)
}

/// Every file below `dir`, relative to it.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(
                files(&path)
                    .into_iter()
                    .map(|p| Path::new(path.file_name().unwrap()).join(p)),
            );
        } else {
            out.push(PathBuf::from(path.file_name().unwrap()));
        }
    }
    out.sort();
    out
}

/// Whether a file is a page of the site (the email edition is an email: tests/email.rs checks it).
fn is_page(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "html") && p.file_name().is_some_and(|n| n != "email.html")
}

/// Parses a page as XML (pir writes XHTML-compatible HTML5); returns its text for reuse.
fn parse(public: &Path, page: &Path) -> String {
    let text = std::fs::read_to_string(public.join(page)).unwrap();
    let body = text
        .strip_prefix("<!DOCTYPE html>")
        .unwrap_or_else(|| panic!("{} lacks the doctype", page.display()));
    if let Err(e) = roxmltree::Document::parse(body) {
        panic!("{} is not well-formed: {e}", page.display());
    }
    body.to_string()
}

#[test]
fn every_page_is_well_formed_with_one_h1_and_a_language() {
    let (_dir, public) = build_site(&[]);
    let pages: Vec<PathBuf> = files(&public).into_iter().filter(|p| is_page(p)).collect();
    assert!(pages.len() >= 10, "{pages:?}");
    for page in &pages {
        let text = parse(&public, page);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("lang"), Some("en"), "{}", page.display());
        let h1 = doc.descendants().filter(|n| n.has_tag_name("h1")).count();
        assert_eq!(h1, 1, "{} has {h1} h1 elements", page.display());
        for landmark in ["header", "nav", "main", "footer"] {
            assert!(
                doc.descendants().any(|n| n.has_tag_name(landmark)),
                "{} lacks <{landmark}>",
                page.display()
            );
        }
        for img in doc.descendants().filter(|n| n.has_tag_name("img")) {
            assert!(
                img.attribute("alt").is_some_and(|a| !a.trim().is_empty()),
                "{}: an image without alt text",
                page.display()
            );
        }
        // Headings never skip a level on the way down.
        let mut last = 0;
        for h in doc.descendants().filter(|n| {
            n.is_element() && matches!(n.tag_name().name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
        }) {
            let level: usize = h.tag_name().name()[1..].parse().unwrap();
            assert!(
                level <= last + 1,
                "{}: <h{level}> after <h{last}>",
                page.display()
            );
            last = level;
        }
    }
}

#[test]
fn every_local_link_image_and_anchor_resolves() {
    let (_dir, public) = build_site(&[]);
    let pages: Vec<PathBuf> = files(&public)
        .into_iter()
        .filter(|p| is_page(p) && p != Path::new("404.html"))
        .collect();
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    for page in &pages {
        let text = parse(&public, page);
        let doc = roxmltree::Document::parse(&text).unwrap();
        ids.insert(
            page.clone(),
            doc.descendants()
                .filter_map(|n| n.attribute("id"))
                .map(str::to_string)
                .collect(),
        );
    }
    let mut checked = 0;
    for page in &pages {
        let text = parse(&public, page);
        let doc = roxmltree::Document::parse(&text).unwrap();
        for node in doc.descendants() {
            for attr in ["href", "src"] {
                let Some(target) = node.attribute(attr) else {
                    continue;
                };
                if target.starts_with("http://")
                    || target.starts_with("https://")
                    || target.starts_with("mailto:")
                {
                    continue;
                }
                let (path, fragment) = target
                    .split_once('#')
                    .map_or((target, None), |(p, f)| (p, Some(f)));
                let resolved = if path.is_empty() {
                    page.clone()
                } else {
                    normalize(&page.parent().unwrap().join(path))
                };
                // One form of address everywhere: pages are linked by file (`index.html`),
                // as the canonical URLs, the sitemap and the feed name them.
                assert!(
                    !public.join(&resolved).is_dir(),
                    "{}: {attr}={target} links a folder, not its index.html",
                    page.display()
                );
                let file = resolved;
                assert!(
                    public.join(&file).is_file(),
                    "{}: {attr}={target} leads nowhere",
                    page.display()
                );
                if let Some(f) = fragment {
                    let known = ids.get(&file).unwrap_or_else(|| {
                        panic!("{}: #{f} points into {}", page.display(), file.display())
                    });
                    assert!(
                        known.contains(f),
                        "{}: no id {f} in {}",
                        page.display(),
                        file.display()
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

/// Resolves `..` in a relative path.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                assert!(
                    out.pop(),
                    "a link climbs out of the site: {}",
                    path.display()
                );
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[test]
fn the_feed_parses_as_atom_with_absolute_links() {
    let (_dir, public) = build_site(&[]);
    let feed = atom_syndication::Feed::read_from(std::io::BufReader::new(
        std::fs::File::open(public.join("feed.xml")).unwrap(),
    ))
    .unwrap();
    assert_eq!(feed.title().as_str(), "Post-Incident Review");
    assert_eq!(
        feed.entries().len(),
        7,
        "the issue, its five pieces (not the back cover) and the pocket zine"
    );
    let discord = feed
        .entries()
        .iter()
        .find(|e| e.title().as_str() == "Server Outages and Increased API Errors")
        .unwrap();
    assert_eq!(
        discord.id(),
        "https://zine.incidentlabs.io/issues/march-2020/discord.html"
    );
    // Not the issue's date (March 1), before the outage: the report's own publication.
    assert_eq!(
        discord.published().unwrap().to_rfc3339(),
        "2020-03-20T00:00:00+00:00"
    );
    assert_eq!(discord.updated().to_rfc3339(), "2020-03-20T00:00:00+00:00");
    assert!(
        discord
            .content()
            .and_then(|c| c.value())
            .is_some_and(|c| c.contains("Elixir")),
        "the piece in full"
    );
    let pdf = discord
        .links()
        .iter()
        .find(|l| l.rel() == "enclosure")
        .expect("the issue's PDF as an enclosure");
    assert_eq!(
        pdf.href(),
        "https://zine.incidentlabs.io/issues/march-2020/issue-2.pdf"
    );
    assert_eq!(pdf.mime_type(), Some("application/pdf"));
    let length: u64 = pdf.length().unwrap().parse().unwrap();
    assert_eq!(
        length,
        std::fs::metadata(public.join("issues/march-2020/issue-2.pdf"))
            .unwrap()
            .len()
    );
    let pocket = feed
        .entries()
        .iter()
        .find(|e| e.title().as_str() == "Write It Like a Documentary")
        .expect("the pocket zine");
    assert!(
        pocket
            .links()
            .iter()
            .any(|l| l.rel() == "enclosure" && l.href().ends_with("pocket/prompts/prompts.pdf"))
    );
    assert_eq!(
        feed.updated().to_rfc3339(),
        feed.entries()
            .iter()
            .map(|e| e.updated().to_rfc3339())
            .max()
            .unwrap()
    );
    for file in [
        "feed.xml",
        "sitemap.xml",
        "index.html",
        "issues/march-2020/discord.html",
    ] {
        let text = std::fs::read_to_string(public.join(file)).unwrap();
        assert!(
            !text.contains("&#x2f;"),
            "{file} escapes slashes as HTML would"
        );
    }
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    let lastmods: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("lastmod"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(lastmods.len(), locs.len());
    let discord_at = locs
        .iter()
        .position(|l| l.ends_with("/discord.html"))
        .unwrap();
    assert_eq!(
        lastmods[discord_at], "2020-03-20",
        "the page's feed entry's update"
    );
    assert!(
        locs.contains(&"https://zine.incidentlabs.io/issues/march-2020/discord.html"),
        "{locs:?}"
    );
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://zine.incidentlabs.io/"))
    );
    assert!(
        std::fs::read_to_string(public.join("robots.txt"))
            .unwrap()
            .contains("Sitemap: https://zine.incidentlabs.io/sitemap.xml")
    );
}

#[test]
fn timeline_times_are_full_iso_date_times_with_the_offset() {
    let (_dir, public) = build_site(&[]);
    let text = parse(&public, Path::new("issues/march-2020/discord.html"));
    let doc = roxmltree::Document::parse(&text).unwrap();
    let list = doc
        .descendants()
        .find(|n| n.has_tag_name("ol") && n.attribute("class") == Some("timeline"))
        .unwrap();
    let times: Vec<&str> = list
        .descendants()
        .filter(|n| n.has_tag_name("time"))
        .filter_map(|n| n.attribute("datetime"))
        .collect();
    assert_eq!(times.len(), 12, "ten entries, two of them ranges");
    for t in &times {
        let parsed = chrono::DateTime::parse_from_rfc3339(t).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert_eq!(
            parsed.offset().local_minus_utc(),
            -7 * 3600,
            "{t} is in PDT"
        );
    }
    assert_eq!(times[0], "2020-03-16T14:18:00-07:00");
    assert!(
        doc.descendants()
            .any(|n| n.has_tag_name("ol") && n.attribute("class") == Some("timeline"))
    );
    // The chart: one named row per entry (time, key moment, first words), its axis in words.
    let chart = doc
        .descendants()
        .find(|n| n.has_tag_name("figure") && n.attribute("class") == Some("chart"))
        .unwrap();
    let rows: Vec<String> = chart
        .descendants()
        .filter(|n| n.attribute("class") == Some("chart-name"))
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 10, "{rows:?}");
    assert!(
        rows[1].starts_with("14:19 Impact start: Most of Discord"),
        "{rows:?}"
    );
    let desc = chart.attribute("aria-describedby").unwrap();
    assert!(doc.descendants().any(|n| n.attribute("id") == Some(desc)
        && n.text().unwrap_or("").contains("Impact lasted 1 h 13 min")));
}

#[test]
fn incident_data_is_published_as_json_with_an_index() {
    let (_dir, public) = build_site(&[]);
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("incidents.json")).unwrap()).unwrap();
    let first = &index["incidents"][0];
    assert_eq!(first["organization"], "Discord");
    let data: serde_json::Value = serde_json::from_slice(
        &std::fs::read(public.join(first["relative_json"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    assert_eq!(
        (data["format"].as_str(), data["version"].as_u64()),
        (Some("pir-incident"), Some(1))
    );
    assert_eq!(data["timezone"], "America/Los_Angeles");
    assert_eq!(data["timeline"].as_array().unwrap().len(), 10);
    assert_eq!(data["timeline"][3]["end"], "2020-03-16T14:43:00-07:00");
    assert_eq!(data["key_moments"][1]["kind"], "detected");
    assert_eq!(data["metrics"]["time_to_detect_minutes"], 2);
    assert!(data["summary"].as_str().unwrap().contains("etcd") && data["subtitle"].is_string());
    // Plain text and HTML: a mention is spelled out in both, marked up only in the HTML.
    let entry = &data["timeline"][1];
    assert_eq!(entry["key_moments"][0], "impact_start");
    assert!(
        !entry["text"].as_str().unwrap().contains('<')
            && entry["html"]
                .as_str()
                .unwrap()
                .contains("<strong class=\"mention\">")
    );
    assert!(data["cast"].as_array().is_some_and(|c| !c.is_empty()));
    assert_eq!(first["metrics"]["impact_duration_minutes"], 73);
    assert_eq!(first["severity"], "SEV1");
    assert_eq!(data["impact_duration"], "1 h 13 min");
}

#[test]
fn each_data_file_names_a_schema_published_where_its_id_says() {
    let dir = project("valid");
    let text = std::fs::read_to_string(dir.path().join("zine.toml")).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("base_url"))
        .unwrap()
        .to_string();
    write(
        dir.path(),
        "zine.toml",
        text.replace(&line, "base_url = \"https://preview.example.org/zine\""),
    );
    let (_out, public) = build_to_temp(dir.path());
    let read = |rel: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(public.join(rel)).unwrap()).unwrap()
    };
    let index = read("incidents.json");
    let incident = read(index["incidents"][0]["relative_json"].as_str().unwrap());
    for data in [&index, &incident] {
        let named = data["$schema"].as_str().unwrap();
        let rel = named
            .strip_prefix("https://preview.example.org/zine/")
            .unwrap_or_else(|| panic!("{named} is not under the zine's base_url"));
        assert!(
            rel.starts_with("schemas/") && rel.ends_with("-v1.schema.json"),
            "{rel}"
        );
        assert_eq!(
            read(rel)["$id"],
            named,
            "the schema at {rel} says it is elsewhere"
        );
    }
    assert!(!public.join("schema").exists(), "one schemas/ folder");
}

#[test]
fn downloads_say_pages_sheets_and_sizes() {
    let (_dir, public) = build_site(&[]);
    let issue = std::fs::read_to_string(public.join("issues/march-2020/index.html")).unwrap();
    assert!(
        issue.contains("href=\"issue-2.pdf\"") && issue.contains("12 half-letter pages"),
        "reading PDF link"
    );
    assert!(
        issue.contains("href=\"issue-2-print-letter-short-edge.pdf\"")
            && issue.contains("3 sheets to fold into a booklet"),
        "print PDF link"
    );
    for file in [
        "issue-2-print-letter-long-edge.pdf",
        "issue-2-print-a4-short-edge.pdf",
        "issue-2-print-a4-long-edge.pdf",
    ] {
        assert!(
            issue.contains(&format!("href=\"{file}\"")),
            "every variant is offered: {file}"
        );
    }
    assert!(
        issue.contains("Print PDF (A4, flip on the long edge)"),
        "the link names paper and edge"
    );
    assert!(issue.contains(" KB</span>"), "file sizes");
    assert!(
        issue.contains("Editors’ note") && !issue.contains("Editors' note"),
        "front matter and labels get typographic quotes"
    );
    assert!(issue.contains("Issue 3 arrives April 27, 2020"));
}

#[test]
fn raw_html_is_escaped_unless_the_project_opts_in() {
    let project = project("valid");
    let root = project.path();
    write(
        root,
        "issues/january-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Hi\"\n+++\n\nA <script>alert(1)</script> note.\n",
    );
    assert!(run(root, &["build"]).status.success());
    let page = std::fs::read_to_string(root.join("public/issues/january-2021/note.html")).unwrap();
    assert!(
        page.contains("A &lt;script&gt;alert(1)&lt;/script&gt; note.")
            && !page.contains("<script>"),
        "escaped"
    );
    let zine = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    write(root, "zine.toml", format!("{zine}raw_html = true\n"));
    assert!(run(root, &["build"]).status.success());
    let page = std::fs::read_to_string(root.join("public/issues/january-2021/note.html")).unwrap();
    assert!(page.contains("<script>alert(1)</script>"), "opted in");
}

/// Regression: the site gave every string of a page's context typographic
/// quotes, the rendered piece HTML too, so a writer's raw `<script>` came out
/// as `say(“it’s”)`, which no browser runs.
#[test]
fn raw_html_keeps_the_quotes_it_was_written_with() {
    let project = project("valid");
    let root = project.path();
    write(
        root,
        "issues/january-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"Hi\"\n+++\n\nIt's a \"note\".\n\n<script>say(\"it's\", 1)</script>\n",
    );
    let zine = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    write(root, "zine.toml", format!("{zine}raw_html = true\n"));
    assert!(run(root, &["build"]).status.success());
    for page in ["note.html", "index.html"] {
        let html =
            std::fs::read_to_string(root.join("public/issues/january-2021").join(page)).unwrap();
        assert!(
            html.contains("<script>say(\"it's\", 1)</script>"),
            "{page}: {html}"
        );
        assert!(
            html.contains("It’s a “note”."),
            "{page}: prose still gets its quotes"
        );
    }
}

#[test]
fn settings_and_content_are_escaped_by_the_templates() {
    let project = project("valid");
    let root = project.path();
    let zine = std::fs::read_to_string(root.join("zine.toml")).unwrap();
    write(
        root,
        "zine.toml",
        zine.replace(
            "A small zine for pir's tests.",
            "Tags <b>stay</b> \\\"text\\\".",
        ),
    );
    write(
        root,
        "issues/january-2021/note.md",
        "+++\nkind = \"editors-note\"\ntitle = \"<img src=x onerror=alert(1)>\"\n+++\n\nHi.\n",
    );
    assert!(run(root, &["build"]).status.success());
    let home = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(
        !home.contains("<b>stay</b>")
            && (home.contains("&lt;b&gt;stay&lt;&#x2f;b&gt;")
                || home.contains("&lt;b&gt;stay&lt;/b&gt;")),
        "{home}"
    );
    assert!(!home.contains("<img src=x"), "a title cannot inject a tag");
}

#[test]
fn a_template_override_replaces_one_file_and_its_errors_point_at_the_line() {
    let project = project("valid");
    let root = project.path();
    write(
        root,
        "templates/subscribe.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Our own subscribe page</h1>{% endblock %}",
    );
    assert!(run(root, &["build"]).status.success());
    assert!(
        std::fs::read_to_string(root.join("public/subscribe/index.html"))
            .unwrap()
            .contains("Our own subscribe page")
    );
    assert!(
        std::fs::read_to_string(root.join("public/index.html"))
            .unwrap()
            .contains("All issues"),
        "other pages keep the built-in templates"
    );
    write(
        root,
        "templates/subscribe.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ site.title | nosuchfilter }}</h1>\n{% endblock %}\n",
    );
    let out = run(root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("E602 template-error") && stderr.contains("templates/subscribe.html:3"),
        "{stderr}"
    );
}

#[test]
fn drafts_stay_out_of_the_pdfs_and_the_site_unless_asked_for() {
    let project = project("valid");
    let root = project.path();
    let toml = std::fs::read_to_string(root.join("issues/january-2021/issue.toml")).unwrap();
    write(
        root,
        "issues/january-2021/issue.toml",
        toml.replace("status = \"published\"", "status = \"draft\""),
    );
    assert!(run(root, &["build"]).status.success());
    assert!(
        !root.join("public/issues/january-2021").exists(),
        "no page and no PDF"
    );
    assert!(
        !std::fs::read_to_string(root.join("public/feed.xml"))
            .unwrap()
            .contains("january-2021")
    );
    assert!(run(root, &["build", "--drafts"]).status.success());
    assert!(root.join("public/issues/january-2021/index.html").exists());
    assert!(root.join("public/issues/january-2021/issue-1.pdf").exists());
}

#[test]
fn the_404_page_links_from_the_hosts_root_never_to_the_production_host() {
    let project = project("valid");
    let toml = std::fs::read_to_string(project.path().join("zine.toml")).unwrap();
    write(
        project.path(),
        "zine.toml",
        toml.replace(
            "base_url = \"https://zine.example.com\"",
            "base_url = \"https://example.org/zine\"",
        ),
    );
    let (_out, public) = build_to_temp(project.path());
    let page = parse(&public, Path::new("404.html"));
    let doc = roxmltree::Document::parse(&page).unwrap();
    let links: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("href").or(n.attribute("src")))
        .collect();
    assert!(
        links.contains(&"/zine/style.css") && links.contains(&"/zine/index.html"),
        "{links:?}"
    );
    for link in links {
        assert!(
            link.starts_with("/zine/") || link.starts_with('#') || link.starts_with("mailto:"),
            "{link} in 404.html"
        );
    }
}

#[test]
fn a_correction_date_updates_the_feed_entry_and_its_issue() {
    let project = project("valid");
    let note = std::fs::read_to_string(project.path().join("issues/january-2021/note.md")).unwrap();
    write(
        project.path(),
        "issues/january-2021/note.md",
        note.replacen("+++\n", "+++\ncorrected = 2021-02-03\n", 1),
    );
    let (_out, public) = build_to_temp(project.path());
    let feed = atom_syndication::Feed::read_from(std::io::BufReader::new(
        std::fs::File::open(public.join("feed.xml")).unwrap(),
    ))
    .unwrap();
    let entry = feed
        .entries()
        .iter()
        .find(|e| e.id().ends_with("/note.html"))
        .unwrap();
    assert_eq!(entry.updated().to_rfc3339(), "2021-02-03T00:00:00+00:00");
    assert!(entry.published().unwrap() < entry.updated());
    let issue = feed
        .entries()
        .iter()
        .find(|e| e.id().ends_with("/issues/january-2021/index.html"))
        .unwrap();
    assert_eq!(issue.updated().to_rfc3339(), "2021-02-03T00:00:00+00:00");
}

#[test]
fn an_incident_page_leads_with_its_story_and_folds_the_facts_and_cast() {
    let (_dir, public) = build_site(&[]);
    let text = parse(&public, Path::new("issues/march-2020/discord.html"));
    let doc = roxmltree::Document::parse(&text).unwrap();
    let class = |n: &roxmltree::Node, c: &str| {
        n.attribute("class")
            .is_some_and(|a| a.split(' ').any(|x| x == c))
    };
    let standfirst = doc
        .descendants()
        .find(|n| class(n, "standfirst"))
        .expect("a standfirst");
    assert!(standfirst.text().unwrap().contains("half-finished"));
    // Every fact and the cast fold into <details>; the headline facts stay open.
    let folded: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("details"))
        .filter_map(|n| n.attribute("class"))
        .collect();
    assert_eq!(folded, ["facts", "cast"]);
    let headline = doc.descendants().find(|n| class(n, "headline")).unwrap();
    let dts: Vec<&str> = headline
        .descendants()
        .filter(|n| n.has_tag_name("dt"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(dts, ["Organization", "Date", "Severity", "Duration"]);
    // The chart opens the timeline section of the body, after the summary.
    let order: Vec<&str> = doc
        .descendants()
        .filter_map(|n| match n.tag_name().name() {
            "h2" | "h3" => n.text(),
            "figure" if class(&n, "chart") => Some("chart"),
            "ol" if class(&n, "timeline") => Some("list"),
            _ => None,
        })
        .collect();
    let at = |x: &str| {
        order
            .iter()
            .position(|o| *o == x)
            .unwrap_or_else(|| panic!("{x} in {order:?}"))
    };
    assert!(
        at("Summary") < at("Timeline") && at("Timeline") < at("chart") && at("chart") < at("list"),
        "{order:?}"
    );
}

#[test]
fn piece_pages_are_ready_to_share_with_pdfs_and_neighbours() {
    let (_dir, public) = build_site(&[]);
    let text = parse(&public, Path::new("issues/march-2020/discord.html"));
    let doc = roxmltree::Document::parse(&text).unwrap();
    let meta = |attr: &str, name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("meta") && n.attribute(attr) == Some(name))
            .and_then(|n| n.attribute("content"))
    };
    assert_eq!(meta("name", "color-scheme"), Some("light dark"));
    assert_eq!(meta("property", "og:type"), Some("article"));
    assert_eq!(
        meta("property", "og:url"),
        Some("https://zine.incidentlabs.io/issues/march-2020/discord.html")
    );
    assert_eq!(meta("name", "twitter:card"), Some("summary"));
    let ld = doc
        .descendants()
        .find(|n| n.attribute("type") == Some("application/ld+json"))
        .and_then(|n| n.text())
        .unwrap();
    let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(
        (ld["@type"].as_str(), ld["datePublished"].as_str()),
        (Some("Article"), Some("2020-03-20"))
    );
    let links: Vec<(Option<&str>, &str)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .filter_map(|n| n.attribute("href").map(|h| (n.attribute("rel"), h)))
        .collect();
    assert!(
        links.contains(&(Some("prev"), "editors-note.html"))
            && links.contains(&(Some("next"), "documentary.html")),
        "{links:?}"
    );
    assert!(
        links.iter().any(|(_, h)| *h == "issue-2.pdf")
            && links
                .iter()
                .any(|(_, h)| *h == "issue-2-print-a4-long-edge.pdf")
    );
    let home = parse(&public, Path::new("index.html"));
    assert!(home.contains("<meta property=\"og:type\" content=\"website\" />"));
    let illustration = parse(&public, Path::new("issues/march-2020/illustration.html"));
    assert!(illustration.contains("loading=\"lazy\""));
}

#[test]
fn every_zine_and_index_has_a_page_whose_canonical_url_is_the_one_linked_and_listed() {
    let (_dir, public) = build_site(&[]);
    let base = "https://zine.incidentlabs.io/";
    for page in [
        "issues/index.html",
        "pocket/index.html",
        "pocket/prompts/index.html",
    ] {
        assert!(public.join(page).is_file(), "{page} is missing");
    }
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let feed = std::fs::read_to_string(public.join("feed.xml")).unwrap();
    let pages: Vec<PathBuf> = files(&public)
        .into_iter()
        .filter(|p| is_page(p) && p != Path::new("404.html"))
        .collect();
    for page in &pages {
        let text = parse(&public, page);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let canonical = doc
            .descendants()
            .find(|n| n.has_tag_name("link") && n.attribute("rel") == Some("canonical"))
            .and_then(|n| n.attribute("href"))
            .unwrap_or_else(|| panic!("{} has no canonical link", page.display()));
        let url = format!("{base}{}", page.display());
        assert_eq!(canonical, url, "{}", page.display());
        assert!(
            sitemap.contains(&format!("<loc>{url}</loc>")),
            "{url} not in the sitemap"
        );
    }
    // The feed names pages as the sitemap does, the pocket zine by its page.
    for id in feed
        .split("<id>")
        .skip(2)
        .map(|s| s.split('<').next().unwrap())
    {
        assert!(
            sitemap.contains(&format!("<loc>{id}</loc>")),
            "feed entry {id} is not a page of the sitemap"
        );
    }
    assert!(feed.contains(&format!("<id>{base}pocket/prompts/index.html</id>")));
    // The pocket zine's page has every piece and both print PDFs.
    let pocket = parse(&public, Path::new("pocket/prompts/index.html"));
    for needle in [
        "Who was there?",
        "Fold, cut, fold",
        "href=\"prompts-print-letter.pdf\"",
        "href=\"prompts-print-a4.pdf\"",
        "href=\"prompts.pdf\"",
    ] {
        assert!(pocket.contains(needle), "{needle} on the pocket page");
    }
    // The back cover is in every "In this issue" listing.
    let home = parse(&public, Path::new("index.html"));
    assert!(
        home.contains("index.html#back-cover"),
        "the home page's listing"
    );
    let issue = parse(&public, Path::new("issues/march-2020/index.html"));
    assert!(
        issue.contains("href=\"#back-cover\""),
        "the issue's contents"
    );
    let email = std::fs::read_to_string(public.join("issues/march-2020/email.html")).unwrap();
    assert!(email.contains("back-cover.html"), "the email's listing");
}
