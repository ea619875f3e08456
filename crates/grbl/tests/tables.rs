//! The code tables agree with gnea/grbl's own CSV files (verbatim copies in tests/fixtures).

use burin_grbl::codes::{ALARMS, ERRORS, SETTINGS, alarm_info, error_info, setting_info};

/// Splits one CSV record into `n` fields. Quoted fields may hold commas; in an unquoted
/// record the last field takes the rest of the line, as GRBL's descriptions are free text.
fn fields(line: &str, n: usize) -> Vec<String> {
    if line.starts_with('"') {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        for ch in line.chars() {
            match ch {
                '"' => quoted = !quoted,
                ',' if !quoted => out.push(std::mem::take(&mut cur)),
                _ => cur.push(ch),
            }
        }
        out.push(cur);
        assert_eq!(out.len(), n, "{line}");
        out
    } else {
        line.splitn(n, ',').map(str::to_string).collect()
    }
}

/// Data records of a fixture: skips the header and blank lines.
fn records(csv: &str, n: usize) -> Vec<Vec<String>> {
    csv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| fields(l, n))
        .collect()
}

#[test]
fn error_table_matches_grbl_csv() {
    let rows = records(include_str!("fixtures/error_codes_en_US.csv"), 3);
    assert_eq!(rows.len(), ERRORS.len());
    for row in &rows {
        let code: u16 = row[0].parse().expect("numeric code");
        let info = error_info(code).unwrap_or_else(|| panic!("error {code} missing"));
        assert_eq!(info.name, row[1], "error {code} name");
        assert_eq!(info.description, row[2], "error {code} description");
    }
}

#[test]
fn alarm_table_matches_grbl_csv() {
    let rows = records(include_str!("fixtures/alarm_codes_en_US.csv"), 3);
    assert_eq!(rows.len(), ALARMS.len());
    for row in &rows {
        let code: u16 = row[0].parse().expect("numeric code");
        let info = alarm_info(code).unwrap_or_else(|| panic!("alarm {code} missing"));
        assert_eq!(info.name, row[1], "alarm {code} name");
        assert_eq!(info.description, row[2], "alarm {code} description");
    }
}

#[test]
fn settings_table_matches_grbl_csv() {
    let rows = records(include_str!("fixtures/setting_codes_en_US.csv"), 4);
    assert_eq!(rows.len(), SETTINGS.len());
    for (row, info) in rows.iter().zip(SETTINGS) {
        let number: u16 = row[0].parse().expect("numeric setting");
        assert_eq!(info.number, number, "same order as $$");
        let found = setting_info(number).unwrap_or_else(|| panic!("${number} missing"));
        assert_eq!(found.name, row[1], "${number} name");
        assert_eq!(found.unit, row[2], "${number} unit");
        assert_eq!(found.description, row[3], "${number} description");
    }
}
