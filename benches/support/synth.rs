//! A deterministic generator of synthetic zine archives for the benchmarks:
//! N issues shaped like Issue 2 (an editors' note, an incident with a
//! 13-entry timeline, a table, code and an image, an essay, etcetera, an
//! illustration and a back cover).

use std::path::Path;

/// Writes a project of `n` issues shaped like Issue 2; returns the piece count.
pub fn generate(root: &Path, n: usize) -> usize {
    let write = |rel: String, text: String| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "zine.toml".into(),
        "title = \"Synthetic\"\nbase_url = \"https://zine.example.com\"\npublisher = \"Bench\"\nemail = \"z@example.com\"\ndescription = \"Generated.\"\nlanguage = \"en\"\n".into(),
    );
    let prose = "Engineers looked at the dashboards, compared notes on the bridge, and tried the safest change first. ".repeat(6);
    for i in 0..n {
        let (year, month) = (2020 + (i / 12) as i32, (i % 12) as u32 + 1);
        let slug = format!("issue-{:03}", i + 1);
        write(
            format!("issues/{slug}/issue.toml"),
            format!(
                "number = {}\ntitle = \"Issue {}\"\ndate = {year}-{month:02}-01\neditors = [\"A\", \"B\"]\npages = 12\npieces = [\"note.md\", \"incident.md\", \"essay.md\", \"etc.md\", \"art.md\", \"back.md\"]\n",
                i + 1,
                i + 1
            ),
        );
        write(
            format!("issues/{slug}/chart.svg"),
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 40\"><rect x=\"{}\" y=\"5\" width=\"30\" height=\"30\" fill=\"none\" stroke=\"black\"/></svg>",
                i % 60
            ),
        );
        write(
            format!("issues/{slug}/note.md"),
            format!(
                "+++\nkind = \"editors-note\"\ntitle = \"Note {i}\"\n+++\n\n{prose}\n\n{prose}\n"
            ),
        );
        let mut timeline = String::new();
        for h in 0..12 {
            timeline.push_str(&format!(
                "- [{:02}:{:02}] Step {h}: {}\n",
                9 + h / 2,
                (h % 2) * 30,
                &prose[..80]
            ));
        }
        timeline.push_str("- [20:00 to 21:15] A long recovery with `code`, *emphasis* and [a link](https://example.com/x).\n");
        write(
            format!("issues/{slug}/incident.md"),
            format!(
                "+++\nkind = \"incident\"\ntitle = \"Outage {i}\"\norganization = \"Org {i}\"\npublished = {year}-{month:02}-02\ndate = {year}-{month:02}-01\ntimezone = \"America/Los_Angeles\"\nimpact = \"Everything was slow.\"\nsources = [\"https://status.example.com/{i}\"]\n\n[key_moments]\nimpact_start = \"09:00\"\ndetected = \"09:30\"\nmitigated = \"21:15\"\nresolved = \"14:30\"\n+++\n\n## Summary\n\n{prose}\n\n## Timeline\n\n{timeline}\n## Investigation and analysis\n\n{prose}\n\n| metric | before | after |\n| --- | --- | --- |\n| errors | 1% | 40% |\n\n```text\nhttp.client.RemoteDisconnected\n```\n\n![A chart of errors over time](chart.svg)\n\n## Action items\n\n1. One.\n2. Two.\n"
            )
            .replace("resolved = \"14:30\"", "resolved = \"21:15\""),
        );
        write(
            format!("issues/{slug}/essay.md"),
            format!(
                "---\nkind: feature\ntitle: Essay {i}\n---\n\n## Part one\n\n{prose}\n\n> {prose}\n\n## Part two\n\n{prose}\n"
            ),
        );
        write(
            format!("issues/{slug}/etc.md"),
            format!(
                "+++\nkind = \"etcetera\"\ntitle = \"Etc\"\n+++\n\n- [A link](https://example.com/{i})\n- {prose}\n"
            ),
        );
        write(
            format!("issues/{slug}/art.md"),
            "+++\nkind = \"illustration\"\ntitle = \"Art\"\n+++\n\nColour me in.\n".into(),
        );
        write(
            format!("issues/{slug}/back.md"),
            "+++\nkind = \"back-cover\"\ntitle = \"Back\"\n+++\n\nSee you next month.\n".into(),
        );
    }
    n * 6
}
