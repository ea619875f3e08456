//! LaserGRBL material databases (`.psh`): a .NET DataSet written as XML, one `<Materials>` row
//! per setting:
//!
//! ```xml
//! <MaterialDB xmlns="http://tempuri.org/MaterialDB.xsd">
//!   <Materials>
//!     <id>GUID</id><Visible>true</Visible><Model>Ortur LM2 (5.5W)</Model>
//!     <Material>Plywood</Material><Thickness>3mm</Thickness><Action>Cut</Action>
//!     <Power>100</Power><Speed>300</Speed><Cycles>3</Cycles><Remarks>…</Remarks>
//!   </Materials>
//! </MaterialDB>
//! ```
//!
//! Power is % and Speed mm/min, like Burin; Power, Speed and Cycles are whole numbers.
//! Thickness is free text (`-` when none). The model becomes the preset's machine.

use std::collections::HashSet;

use roxmltree::Node;

use super::exchange::{
    Imported, add_note, compose_name, parse_num, parse_passes, parse_xml, xml_escape,
};
use super::{Preset, PresetError, fmt_num};
use crate::Mode;

/// The DataSet's namespace: LaserGRBL reads rows only under it.
const NAMESPACE: &str = "http://tempuri.org/MaterialDB.xsd";

/// Reads a LaserGRBL database. Rows that can't become a preset (hidden, unknown action,
/// numbers missing or out of range) are skipped with the reason.
pub fn import_lasergrbl(text: &str) -> Result<Imported, PresetError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = parse_xml(text)?;
    let root = doc.root_element();
    let rows: Vec<Node> = root
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "Materials")
        .collect();
    if root.tag_name().name() != "MaterialDB" && rows.is_empty() {
        return Err(PresetError::WrongFormat {
            expected: "LaserGRBL material database",
            found: format!("the root element is <{}>", root.tag_name().name()),
        });
    }
    let fields: Vec<Vec<(&str, &str)>> = rows.iter().map(|r| row_fields(*r)).collect();
    let models: HashSet<&str> = fields
        .iter()
        .map(|f| value(f, "Model").unwrap_or_default())
        .collect();
    let mut out = Imported::default();
    let mut taken = HashSet::new();
    for row in &fields {
        read_row(&mut out, &mut taken, row, models.len() > 1);
    }
    Ok(out)
}

fn row_fields<'a>(row: Node<'a, '_>) -> Vec<(&'a str, &'a str)> {
    row.children()
        .filter(Node::is_element)
        .map(|n| (n.tag_name().name(), n.text().unwrap_or("")))
        .collect()
}

fn value<'a>(row: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    row.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

fn read_row(out: &mut Imported, taken: &mut HashSet<String>, row: &[(&str, &str)], many: bool) {
    let model = value(row, "Model").unwrap_or_default();
    let material = value(row, "Material").unwrap_or_default();
    let thickness_text = value(row, "Thickness").unwrap_or_default();
    let action = value(row, "Action").unwrap_or_default();
    let thickness_label = if thickness_text.trim() == "-" {
        ""
    } else {
        thickness_text
    };
    let mut name = compose_name(material, thickness_label, action);
    if many && !model.is_empty() {
        name = format!("{name} ({model})");
    }
    if value(row, "Visible").is_some_and(|v| v.trim().eq_ignore_ascii_case("false")) {
        out.skip(name, "hidden in LaserGRBL (Visible = false)");
        return;
    }
    let Some(mode) = action_mode(action) else {
        out.skip(name, format!("unknown action \"{action}\""));
        return;
    };
    let num = |key: &str| -> Result<f64, String> {
        let v = value(row, key).ok_or(format!("no {key}"))?;
        parse_num(v).ok_or(format!("{key} \"{v}\" is not a number"))
    };
    let numbers = (|| Ok::<_, String>((num("Power")?, num("Speed")?)))();
    let (power, speed) = match numbers {
        Ok(n) => n,
        Err(why) => return out.skip(name, why),
    };
    let passes = match value(row, "Cycles").map(parse_passes) {
        None => 1,
        Some(Ok(p)) => p,
        Some(Err(why)) => return out.skip(name, why),
    };
    let mut notes = value(row, "Remarks").unwrap_or_default().to_string();
    let thickness_mm = parse_thickness(thickness_text);
    if thickness_mm.is_none() && !thickness_label.trim().is_empty() {
        add_note(&mut notes, &format!("thickness: {thickness_text}"));
    }
    const KNOWN: [&str; 10] = [
        "id",
        "Visible",
        "Model",
        "Material",
        "Thickness",
        "Action",
        "Power",
        "Speed",
        "Cycles",
        "Remarks",
    ];
    for (k, v) in row.iter().filter(|(k, _)| !KNOWN.contains(k)) {
        add_note(&mut notes, &format!("LaserGRBL {k}: {v}"));
    }
    let preset = Preset {
        name: name.clone(),
        material: material.to_string(),
        thickness_mm,
        machine: model.to_string(),
        speed_mm_min: speed,
        power_min_pct: 0.0,
        power_max_pct: power,
        passes,
        notes,
        mode,
        interval_mm: None,
        angle_deg: None,
        dither: None,
        // LaserGRBL has no air-assist column: Burin's default for the mode.
        air_assist: crate::Operation::defaults_for(mode).air_assist,
    };
    out.push(preset, &name, taken);
}

/// Burin writes `Cut`, `Engrave` and `Engrave (image)`; other files' words are matched loosely.
fn action_mode(action: &str) -> Option<Mode> {
    let a = action.trim().to_lowercase();
    if a.starts_with("engrave (image)") {
        return Some(Mode::Image);
    }
    if a.starts_with("cut") {
        return Some(Mode::Line);
    }
    if a.starts_with("engrav") {
        return Some(Mode::Fill);
    }
    if a.contains("cut") {
        Some(Mode::Line)
    } else if ["image", "photo", "raster"].iter().any(|w| a.contains(w)) {
        Some(Mode::Image)
    } else if ["engrav", "fill", "scan", "mark"]
        .iter()
        .any(|w| a.contains(w))
    {
        Some(Mode::Fill)
    } else {
        None
    }
}

/// `3mm`, `3 mm`, `0,5mm`, `3` → mm; anything else (`-`, `250 g/mq`) → none.
fn parse_thickness(text: &str) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_suffix("mm").unwrap_or(&t);
    parse_num(t).filter(|v| *v > 0.0)
}

fn action_word(mode: Mode) -> &'static str {
    match mode {
        Mode::Line => "Cut",
        Mode::Fill => "Engrave",
        Mode::Image => "Engrave (image)",
    }
}

/// Writes `presets` as a LaserGRBL database. Carried: material, thickness, machine (as the
/// model), mode (as the action), speed, maximum power, passes (as cycles) and notes (as
/// remarks); speed, power and cycles rounded to whole numbers within LaserGRBL's ranges.
/// LaserGRBL wants model + material + thickness + action unique: a repeat gets the preset
/// name added to its action.
pub fn export_lasergrbl(presets: &[Preset]) -> String {
    let mut x = String::from("<?xml version=\"1.0\" standalone=\"yes\"?>\n");
    x += &format!("<MaterialDB xmlns=\"{NAMESPACE}\">\n");
    let mut keys = HashSet::new();
    for (i, p) in presets.iter().enumerate() {
        let thickness = p
            .thickness_mm
            .map_or("-".to_string(), |t| format!("{}mm", fmt_num(t)));
        let mut action = action_word(p.mode).to_string();
        if !keys.insert((
            p.machine.clone(),
            p.material.clone(),
            thickness.clone(),
            action.clone(),
        )) {
            action = format!("{action} ({})", p.name);
        }
        let clamp = |v: f64, lo: f64, hi: f64| v.round().clamp(lo, hi) as i64;
        x += "  <Materials>\n";
        let mut el = |tag: &str, value: &str| {
            x += &format!("    <{tag}>{value}</{tag}>\n");
        };
        el("id", &guid(i, &p.name));
        el("Visible", "true");
        el("Model", &xml_escape(&p.machine));
        el("Material", &xml_escape(&p.material));
        el("Thickness", &xml_escape(&thickness));
        el("Action", &xml_escape(&action));
        el("Power", &clamp(p.power_max_pct, 0.0, 100.0).to_string());
        el("Speed", &clamp(p.speed_mm_min, 1.0, 100_000.0).to_string());
        el("Cycles", &clamp(f64::from(p.passes), 1.0, 99.0).to_string());
        if !p.notes.is_empty() {
            el("Remarks", &xml_escape(&p.notes));
        }
        x += "  </Materials>\n";
    }
    x += "</MaterialDB>\n";
    x
}

/// A stable GUID-shaped row id (LaserGRBL's primary key), from the row and name.
fn guid(index: usize, name: &str) -> String {
    let fnv = |seed: u64| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
        for b in index.to_le_bytes().iter().chain(name.as_bytes()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    let (a, b) = (fnv(1), fnv(2));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_thicknesses_and_ids() {
        assert_eq!(action_mode("Cut"), Some(Mode::Line));
        assert_eq!(action_mode("Engrave"), Some(Mode::Fill));
        assert_eq!(action_mode("Engrave (image)"), Some(Mode::Image));
        assert_eq!(action_mode("Engrave (my cut test)"), Some(Mode::Fill));
        assert_eq!(action_mode("Photo engraving"), Some(Mode::Image));
        assert_eq!(action_mode("Weld"), None);
        assert_eq!(parse_thickness("3mm"), Some(3.0));
        assert_eq!(parse_thickness(" 0,5 mm"), Some(0.5));
        assert_eq!(parse_thickness("-"), None);
        assert_eq!(parse_thickness("250 g/mq"), None);
        let g = guid(3, "x");
        assert_eq!(g.len(), 36);
        assert_ne!(g, guid(4, "x"));
    }
}
