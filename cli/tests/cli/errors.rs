//! Exit statuses, usage errors, unreadable input, standard input, help and
//! completions.

use crate::{assert_fails_with, cli, run, stderr, stdout, temp, REGISTRY, SAMPLE};

#[test]
fn a_missing_file_is_one_line_naming_it() {
    for subcommand in [
        "assign",
        "report --carriers",
        "split --zone southeast --weights floor_area --target 9 --carriers",
    ] {
        let out = run(cli(subcommand).arg("no-such-file.geojson"));
        assert_fails_with(&out, &["no-such-file.geojson", "No such file"]);
    }
    let out = run(cli("report").args(["--plan", "no-such-plan.toml"]));
    assert_fails_with(&out, &["no-such-plan.toml", "No such file"]);
}

#[test]
fn a_file_in_the_wrong_format_is_one_line_naming_it_and_the_position() {
    let text = temp("words.geojson");
    std::fs::write(&text, "carriers of Chongqing\n").unwrap();
    let out = run(cli("assign").arg(&text).args(["--datum", "gcj02"]));
    assert_fails_with(&out, &["words.geojson", "invalid JSON at line 1, column 1"]);

    let workbook = temp("table.xlsx");
    std::fs::write(&workbook, "id,kind\n1,incubator\n").unwrap();
    let out = run(cli("assign").arg(&workbook));
    assert_fails_with(&out, &["table.xlsx", "not a readable"]);

    let parquet = temp("fake.parquet");
    std::fs::write(&parquet, b"PAR1 but nothing else").unwrap();
    let out = run(cli("assign").arg(&parquet));
    assert_fails_with(&out, &["fake.parquet", "Parquet"]);
}

#[test]
fn a_broken_file_names_the_line_and_column() {
    let path = temp("broken.geojson");
    std::fs::write(
        &path,
        "{\"type\": \"FeatureCollection\",\n \"features\": [,]}",
    )
    .unwrap();
    let out = run(cli("assign").arg(&path).args(["--datum", "gcj02"]));
    assert_fails_with(
        &out,
        &["broken.geojson", "invalid JSON at line 2, column 15"],
    );
}

#[test]
fn a_malformed_row_names_the_file_and_the_row() {
    let path = temp("unclosed.csv");
    std::fs::write(
        &path,
        "id,kind,floor_area_m2,district\n\
         a,incubator,100,渝中区\n\
         b,incubator,\"100,渝中区\n\
         c,incubator,100,渝中区\n",
    )
    .unwrap();
    let out = run(cli("assign").arg(&path));
    assert_fails_with(&out, &["unclosed.csv", "row 3"]);

    // A row that is bad on its own is rejected, and the rest counted.
    std::fs::write(
        &path,
        "id,kind,floor_area_m2,district\na,incubator,100,渝中区\nb,incubator,lots,渝中区\n",
    )
    .unwrap();
    let out = run(cli("assign").arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("rejected: row 3 (id \"b\"): floor_area_m2 must be"),
        "{}",
        stdout(&out)
    );
    let strict = run(cli("assign").arg(&path).arg("--strict"));
    assert_eq!(strict.status.code(), Some(2));
}

#[test]
fn usage_errors_are_one_line_with_status_2() {
    for (args, expected) in [
        ("assign --bogus", "unexpected argument '--bogus'"),
        ("assign", "required arguments were not provided: <CARRIERS>"),
        (
            "report --format xml",
            "invalid value 'xml' for '--format <FORMAT>'",
        ),
        ("report --datum nad27", "unknown datum \"nad27\""),
        ("report --as-of 2025-02-30", "--as-of"),
        ("frobnicate", "unrecognized subcommand 'frobnicate'"),
        ("report --chart c.svg", "--history"),
    ] {
        let out = run(&mut cli(args));
        assert_fails_with(&out, &[expected, "(see --help)"]);
    }
    // With no subcommand, the whole help, on stderr.
    let out = run(&mut cli(""));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Commands:"), "{}", stderr(&out));
}

#[test]
fn help_shows_worked_examples_on_stdout() {
    for subcommand in [
        "", "report", "assign", "split", "sites", "query", "regions", "sample",
    ] {
        let out = run(cli(subcommand).arg("--help"));
        assert!(out.status.success(), "{subcommand}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("Example"), "{subcommand}: {text}");
        assert!(text.contains("carrier-quota "), "{subcommand}: {text}");
    }
    let out = run(&mut cli("--version"));
    assert_eq!(
        stdout(&out),
        format!("carrier-quota {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn fail_on_behind_exits_1_only_when_a_target_is_behind() {
    // The sample at the deadline: floor_area_total is behind.
    let out = run(cli("report").args(["--fail-on", "behind"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("floor_area_total"),
        "the report is written"
    );
    assert!(
        stderr(&out).contains("targets behind on 2025-12-31: floor_area_total"),
        "{}",
        stderr(&out)
    );
    let without = run(&mut cli("report"));
    assert_eq!(without.status.code(), Some(0));

    let plan = crate::yuzhong_plan("met.toml");
    for when in ["behind", "not-met"] {
        let out = run(cli("report")
            .arg("--plan")
            .arg(&plan)
            .args(["--fail-on", when]));
        assert_eq!(out.status.code(), Some(0), "{when}: {}", stderr(&out));
    }
    // Early in the plan a target can be on track: not behind, not met.
    let early = ["--as-of", "2022-06-30", "--format", "json"];
    let out = run(cli("report").args(early));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let statuses: Vec<&str> = (report["targets"].as_array().unwrap().iter())
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    let code = |when| {
        run(cli("report").args(early).args(["--fail-on", when]))
            .status
            .code()
    };
    let behind = statuses.contains(&"behind");
    assert_eq!(
        code("behind"),
        Some(if behind { 1 } else { 0 }),
        "{statuses:?}"
    );
    assert_eq!(code("not-met"), Some(1), "{statuses:?}");
}

#[test]
fn standard_input_is_read_in_any_format() {
    let file = run(cli("assign").arg(SAMPLE));
    let piped = run(cli("assign")
        .arg("-")
        .stdin(std::fs::File::open(crate::root().join(SAMPLE)).unwrap()));
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert_eq!(stdout(&piped), stdout(&file));

    let registry = run(cli("assign").arg(REGISTRY).args(["--datum", "gcj02"]));
    let piped = run(cli("assign")
        .args(["-", "--datum", "gcj02"])
        .stdin(std::fs::File::open(crate::root().join(REGISTRY)).unwrap()));
    assert_eq!(stdout(&piped), stdout(&registry));

    let parquet = temp("stdin.parquet");
    let made = run(cli("sample carriers")
        .args(["--count", "300", "--seed", "8", "--out"])
        .arg(&parquet));
    assert!(made.status.success(), "{}", stderr(&made));
    let file = run(cli("assign").arg(&parquet));
    let piped = run(cli("assign")
        .arg("-")
        .stdin(std::fs::File::open(&parquet).unwrap()));
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert_eq!(stdout(&piped), stdout(&file));

    let report = run(cli("report")
        .args(["--carriers", "-", "--format", "csv"])
        .stdin(std::fs::File::open(crate::root().join(SAMPLE)).unwrap()));
    // The same figures; only the sample's says it is synthetic.
    let sample = stdout(&run(cli("report").args(["--format", "csv"])));
    let (comment, figures) = sample.split_once('\n').unwrap();
    assert_eq!(
        comment,
        "# synthetic sample, not real records: carriers.geojson"
    );
    assert_eq!(stdout(&report), figures);
}

#[test]
fn quiet_leaves_only_errors_and_rejections() {
    let out_path = temp("quiet.csv");
    let out = run(cli("report")
        .args(["--quiet", "--format", "csv", "--out"])
        .arg(&out_path)
        .arg("--map")
        .arg(temp("quiet.svg")));
    assert!(out.status.success());
    assert!(
        out.stdout.is_empty() && out.stderr.is_empty(),
        "{}",
        stderr(&out)
    );
    // A CSV file for Excel: a byte-order mark, then the sample's warning.
    assert!(std::fs::read_to_string(&out_path).unwrap().starts_with(
        "\u{feff}# synthetic sample, not real records: carriers.geojson\nid,name,name_en,"
    ));

    let loud = run(cli("report")
        .args(["--format", "csv", "--out"])
        .arg(&out_path));
    assert_eq!(
        stderr(&loud),
        format!("report written to {}\n", out_path.display())
    );
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(cli("completions").arg(shell));
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for word in ["carrier-quota", "report", "assign", "fail-on", "carriers"] {
            assert!(script.contains(word), "{shell}: no {word:?}");
        }
    }
    let out = run(&mut cli("completions tcsh"));
    assert_fails_with(&out, &["invalid value 'tcsh'"]);
}

#[cfg(not(feature = "datafusion"))]
#[test]
fn query_says_how_to_build_it() {
    let out = run(cli("query").args(["--table", "c=c.parquet", "SELECT 1"]));
    assert_fails_with(&out, &["--features datafusion"]);
}

#[cfg(feature = "datafusion")]
#[test]
fn query_runs_sql_with_the_functions() {
    let parquet = temp("query.parquet");
    let made = run(cli("sample carriers")
        .args(["--count", "2000", "--seed", "5", "--out"])
        .arg(&parquet));
    assert!(made.status.success(), "{}", stderr(&made));
    let mut table = std::ffi::OsString::from("c=");
    table.push(&parquet);
    let out = run(cli("query")
        .arg("--table")
        .arg(&table)
        .arg("SELECT carrier_zone(geometry) AS z, count(*) AS n FROM c GROUP BY z ORDER BY z"));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("z,n\n"), "{text}");
    let total: u64 = (text.lines().skip(1))
        .map(|l| l.rsplit(',').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, 2000);
    // The placed file agrees on each zone.
    let assign = run(cli("assign").arg(&parquet).args(["--format", "json"]));
    let json: serde_json::Value = serde_json::from_slice(&assign.stdout).unwrap();
    for zone in json["zones"].as_array().unwrap() {
        let line = format!("{},{}", zone["code"].as_str().unwrap(), zone["count"]);
        assert!(text.contains(&line), "{line} in {text}");
    }
}
