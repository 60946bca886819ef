//! The HTML report as a browser shows it: headless Chromium loads it from
//! disk, with every network request logged, and its DOM, a screenshot and
//! its print on A4 are checked.
//!
//! The browser is `$CHROMIUM`, else `chromium`, `chromium-browser` or
//! `google-chrome` on the path. Without one the test says so and passes,
//! unless `CARRIER_QUOTA_BROWSER_TESTS=1` (as CI sets, after installing
//! Debian's `chromium`) requires it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cli, run, stderr, stdout, temp};

fn browser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Headless Chromium on `page` with `args`, in a profile of its own, with
/// its background services off and its network log in `net_log`.
fn chromium(browser: &Path, page: &Path, net_log: &Path, args: &[&str]) -> std::process::Output {
    let profile = temp("chromium-profile");
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1200,2400",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--log-net-log={}", net_log.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

/// The http(s) requests a page made, from a NetLog: the requests whose
/// initiator is an origin (a `file://` page's is `null`).
fn page_requests(net_log: &Path) -> Vec<String> {
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(net_log).unwrap()).unwrap();
    let start_job = &log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"];
    let events = log["events"].as_array().unwrap();
    events
        .iter()
        .filter(|e| &e["type"] == start_job)
        .map(|e| &e["params"])
        .filter(|p| p["initiator"] != "not an origin")
        .filter_map(|p| p["url"].as_str())
        .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
        .map(String::from)
        .collect()
}

/// The width and height of each page of a PDF, in points, from the pages'
/// `/MediaBox [0 0 w h]` (Chromium writes page objects uncompressed).
fn media_boxes(pdf: &[u8]) -> Vec<[f64; 2]> {
    let text = String::from_utf8_lossy(pdf);
    text.split("/MediaBox")
        .skip(1)
        .filter_map(|rest| {
            let inside = rest.trim_start().strip_prefix('[')?.split(']').next()?;
            let numbers: Vec<f64> = (inside.split_whitespace())
                .filter_map(|n| n.parse().ok())
                .collect();
            match numbers[..] {
                [x0, y0, x1, y1] => Some([x1 - x0, y1 - y0]),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn a_browser_shows_the_whole_report_without_the_network() {
    let Some(browser) = browser() else {
        let required = std::env::var("CARRIER_QUOTA_BROWSER_TESTS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "CARRIER_QUOTA_BROWSER_TESTS=1 but no chromium was found"
        );
        eprintln!("skipped: no chromium (set CHROMIUM, or install Debian's chromium)");
        return;
    };
    let page = temp("report.html");
    let out = run(cli("report")
        .args(["--split", "area", "--history", "--out"])
        .arg(&page));
    assert!(out.status.success(), "{}", stderr(&out));
    let json = run(cli("report").args(["--split", "area", "--format", "json"]));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();

    // The DOM after loading: every target with its status, 38 district
    // shapes in the map and 38 rows in the table, the sample's banner.
    let net_log = temp("net-log.json");
    let dumped = chromium(&browser, &page, &net_log, &["--dump-dom"]);
    assert!(dumped.status.success(), "{}", stderr(&dumped));
    let dom = stdout(&dumped);
    for target in report["targets"].as_array().unwrap() {
        if !target["part_of"].is_null() {
            continue;
        }
        let row = format!(
            r#"data-target-id="{}" data-status="{}""#,
            target["id"].as_str().unwrap(),
            target["status"].as_str().unwrap()
        );
        assert!(dom.contains(&row), "no {row} in the DOM");
    }
    assert_eq!(dom.matches(r#"<path class="district""#).count(), 38);
    assert_eq!(dom.matches(r#"<tr class="district""#).count(), 38);
    assert!(dom.contains(r#"id="synthetic""#));
    assert!(dom.contains(r#"id="history""#) && dom.contains(r#"id="rejections""#));

    // One district's view renders too: its row, and the map around it.
    let district_page = temp("report-yubei.html");
    let out = run(cli("report")
        .args(["--split", "area", "--district", "渝北区", "--out"])
        .arg(&district_page));
    assert!(out.status.success(), "{}", stderr(&out));
    let dumped = chromium(
        &browser,
        &district_page,
        &temp("net-log-3.json"),
        &["--dump-dom"],
    );
    let dom = stdout(&dumped);
    assert_eq!(dom.matches(r#"<tr class="district""#).count(), 1);
    assert!(dom.contains(r#"data-code="500112""#) && dom.contains(r#"id="focus""#));

    // Printed, every page is A4 (210 × 297 mm: 595 × 842 points).
    let pdf = temp("report.pdf");
    let print = format!("--print-to-pdf={}", pdf.display());
    let printed = chromium(
        &browser,
        &page,
        &temp("net-log-4.json"),
        &["--no-pdf-header-footer", &print],
    );
    assert!(printed.status.success(), "{}", stderr(&printed));
    let pages = media_boxes(&std::fs::read(&pdf).unwrap());
    assert!(pages.len() > 1, "{pages:?}");
    for [width, height] in &pages {
        assert!(
            (width - 595.3).abs() < 2.0 && (height - 841.9).abs() < 2.0,
            "a page of {width} × {height} points"
        );
    }

    // Nothing was asked of the network by the page. (The browser's own
    // services have no origin; the page's requests have the file's.) The
    // same check on a page that does load a picture finds it.
    assert_eq!(page_requests(&net_log), Vec::<String>::new());
    let probe = temp("probe.html");
    std::fs::write(&probe, r#"<img src="https://example.com/x.png">"#).unwrap();
    let probe_log = temp("probe-net-log.json");
    chromium(&browser, &probe, &probe_log, &["--dump-dom"]);
    assert_eq!(page_requests(&probe_log), ["https://example.com/x.png"]);

    // The screenshot is a page, not a blank.
    let shot = temp("report.png");
    let screenshot = format!("--screenshot={}", shot.display());
    let taken = chromium(&browser, &page, &temp("net-log-2.json"), &[&screenshot]);
    assert!(taken.status.success(), "{}", stderr(&taken));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let pixels = &pixels[..frame.buffer_size()];
    let step = frame.color_type.samples();
    let coloured = pixels
        .chunks(step)
        .filter(|p| p[..3].iter().any(|&c| c < 200))
        .count();
    let share = coloured as f64 / (pixels.len() / step) as f64;
    assert!(
        share > 0.05,
        "only {:.1}% of the screenshot is not white",
        share * 100.0
    );
}
