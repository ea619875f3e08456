//! LightBurn material libraries (`.clb`): XML, undocumented by LightBurn; the layout here is
//! what LightBurn writes:
//!
//! ```xml
//! <LightBurnLibrary DisplayName="My library">
//!   <Material name="Plywood">
//!     <Entry Thickness="3.0000" Desc="Cut" NoThickTitle="Cut">
//!       <CutSetting type="Cut">
//!         <index Value="0"/><name Value="C00"/>
//!         <speed Value="6"/><maxPower Value="100"/><numPasses Value="2"/>
//!       </CutSetting>
//!     </Entry>
//!   </Material>
//! </LightBurnLibrary>
//! ```
//!
//! `speed` is mm/s (Burin: mm/min), powers are %, `Thickness="-1"` means none. Image entries
//! use `<CutSetting_Img type="Image">` with `ditherMode`, `interval` and/or `dpi`.
//! Settings Burin has no place for are kept in the preset's notes.

use std::collections::HashSet;

use roxmltree::Node;

use super::exchange::{
    Imported, add_note, compose_name, parse_num, parse_passes, parse_xml, round3, xml_escape,
};
use super::{Preset, PresetError, fmt_num};
use crate::{DitherKind, Mode, Operation};

/// Bookkeeping fields with no meaning for a preset: dropped silently.
const IGNORED: [&str; 9] = [
    "index",
    "name",
    "LinkPath",
    "priority",
    "tabCount",
    "tabCountMax",
    "maxPower2",
    "minPower2",
    "hide",
];

/// Fields read into the preset (the rest go to the notes).
const USED: [&str; 9] = [
    "speed",
    "maxPower",
    "minPower",
    "numPasses",
    "interval",
    "dpi",
    "angle",
    "ditherMode",
    "runBlower",
];

/// Reads a LightBurn library. Entries that can't become a preset (unknown cut type, missing
/// or out-of-range numbers) are skipped with the reason; only a file that isn't XML or isn't
/// a LightBurn library is an error.
pub fn import_lightburn(text: &str) -> Result<Imported, PresetError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = parse_xml(text)?;
    let root = doc.root_element();
    if root.tag_name().name() != "LightBurnLibrary" {
        return Err(PresetError::WrongFormat {
            expected: "LightBurn library",
            found: format!("the root element is <{}>", root.tag_name().name()),
        });
    }
    let mut out = Imported::default();
    let mut taken = HashSet::new();
    for material in root.children().filter(Node::is_element) {
        let tag = material.tag_name().name();
        if tag != "Material" {
            out.skip(format!("<{tag}>"), "not a <Material>");
            continue;
        }
        let material_name = attr(material, "name").unwrap_or_default();
        for entry in material.children().filter(Node::is_element) {
            read_entry(&mut out, &mut taken, material_name, entry);
        }
    }
    Ok(out)
}

fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute(name)
        .or_else(|| node.attribute(name.to_ascii_lowercase().as_str()))
        .or_else(|| {
            let mut cap = name.to_string();
            if let Some(first) = cap.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            node.attribute(cap.as_str())
        })
}

fn read_entry(out: &mut Imported, taken: &mut HashSet<String>, material: &str, entry: Node) {
    let tag = entry.tag_name().name();
    if tag != "Entry" {
        out.skip(format!("{material}: <{tag}>"), "not an <Entry>");
        return;
    }
    let mut notes = String::new();
    let thickness_text = attr(entry, "Thickness").unwrap_or("-1");
    let thickness_mm = match parse_num(thickness_text) {
        Some(t) if t > 0.0 => Some(t),
        Some(_) => None,
        None => {
            add_note(
                &mut notes,
                &format!("LightBurn thickness: {thickness_text}"),
            );
            None
        }
    };
    let desc = attr(entry, "Desc")
        .filter(|d| !d.is_empty())
        .or_else(|| attr(entry, "NoThickTitle"))
        .unwrap_or_default();
    let thickness_label = thickness_mm
        .map(|t| format!("{} mm", fmt_num(t)))
        .unwrap_or_default();
    let what = compose_name(material, &thickness_label, desc);
    let settings: Vec<Node> = entry
        .children()
        .filter(|n| n.is_element() && n.tag_name().name().starts_with("CutSetting"))
        .collect();
    if settings.is_empty() {
        out.skip(what, "no <CutSetting> in the entry");
        return;
    }
    for cs in settings {
        let layer_name = field(cs, "name").unwrap_or_default();
        // Burin writes its preset name as both Desc and the layer name; anything else gets a
        // name built from the material, thickness and description.
        let name = if !layer_name.is_empty() && layer_name == desc {
            desc.to_string()
        } else {
            what.clone()
        };
        match read_setting(cs) {
            Ok(s) => {
                let mut notes = notes.clone();
                for n in s.notes {
                    add_note(&mut notes, &n);
                }
                let preset = Preset {
                    name,
                    material: material.to_string(),
                    thickness_mm,
                    machine: String::new(),
                    notes,
                    ..s.preset
                };
                out.push(preset, &what, taken);
            }
            Err(why) => out.skip(what.clone(), why),
        }
    }
}

/// `<field Value="…"/>` of a cut setting.
fn field<'a>(cs: Node<'a, '_>, name: &str) -> Option<&'a str> {
    cs.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
        .and_then(|n| n.attribute("Value"))
}

struct Setting {
    preset: Preset,
    notes: Vec<String>,
}

fn read_setting(cs: Node) -> Result<Setting, String> {
    let mut notes = Vec::new();
    let kind = cs.attribute("type").or_else(|| cs.attribute("Type"));
    let kind = match kind {
        Some(k) => k,
        None if cs.tag_name().name() == "CutSetting_Img" => "Image",
        None => return Err("the cut setting has no type".into()),
    };
    let mode = match kind {
        "Cut" => Mode::Line,
        "Scan" => Mode::Fill,
        "Image" => Mode::Image,
        "Offset Fill" => {
            notes.push("LightBurn Offset Fill: Burin fills with scan lines".into());
            Mode::Fill
        }
        "Scan+Cut" => {
            notes.push(
                "LightBurn Scan+Cut: only the fill is kept; use a cut preset for the outline"
                    .into(),
            );
            Mode::Fill
        }
        other => {
            return Err(format!(
                "LightBurn \"{other}\" settings have no Burin equivalent"
            ));
        }
    };
    let num = |name: &str| -> Result<Option<f64>, String> {
        match field(cs, name) {
            None => Ok(None),
            Some(v) => parse_num(v)
                .map(Some)
                .ok_or_else(|| format!("{name} \"{v}\" is not a number")),
        }
    };
    let speed_mm_s = num("speed")?.ok_or("no speed")?;
    let power_max_pct = num("maxPower")?.ok_or("no maxPower")?;
    let power_min_pct = num("minPower")?.unwrap_or(0.0);
    let passes = match field(cs, "numPasses") {
        Some(v) => parse_passes(v)?,
        None => 1,
    };
    let mut interval_mm = num("interval")?;
    let mut angle_deg = None;
    let mut dither = None;
    match mode {
        Mode::Line => interval_mm = None,
        Mode::Fill => angle_deg = num("angle")?,
        Mode::Image => {
            if interval_mm.is_none()
                && let Some(dpi) = num("dpi")?.filter(|d| *d > 0.0)
            {
                interval_mm = Some((25.4 / dpi * 1e6).round() / 1e6);
            }
            if let Some(d) = field(cs, "ditherMode") {
                dither = dither_from_lightburn(d);
                if dither.is_none() {
                    notes.push(format!(
                        "LightBurn dither mode \"{d}\" has no Burin equivalent"
                    ));
                }
            }
        }
    }
    let air_assist = match field(cs, "runBlower") {
        Some(v) => v.trim() == "1" || v.trim().eq_ignore_ascii_case("true"),
        None => Operation::defaults_for(mode).air_assist,
    };
    let unused: Vec<String> = cs
        .children()
        .filter(Node::is_element)
        .filter(|n| {
            let tag = n.tag_name().name();
            !IGNORED.contains(&tag) && !USED.contains(&tag)
        })
        .map(|n| {
            format!(
                "{}={}",
                n.tag_name().name(),
                n.attribute("Value").unwrap_or("")
            )
        })
        .collect();
    if !unused.is_empty() {
        notes.push(format!(
            "LightBurn settings not used by Burin: {}",
            unused.join(", ")
        ));
    }
    let mut preset = Preset::new("", mode);
    preset.speed_mm_min = round3(speed_mm_s * 60.0);
    preset.power_min_pct = power_min_pct;
    preset.power_max_pct = power_max_pct;
    preset.passes = passes;
    preset.interval_mm = interval_mm;
    preset.angle_deg = angle_deg;
    preset.dither = dither;
    preset.air_assist = air_assist;
    Ok(Setting { preset, notes })
}

/// LightBurn's image modes that Burin has: "dither" is Floyd–Steinberg, "ordered" Bayer,
/// "newsprint" a halftone screen.
fn dither_from_lightburn(mode: &str) -> Option<DitherKind> {
    match mode.trim().to_ascii_lowercase().as_str() {
        "threshold" => Some(DitherKind::Threshold),
        "ordered" => Some(DitherKind::Bayer8),
        "dither" => Some(DitherKind::FloydSteinberg),
        "atkinson" => Some(DitherKind::Atkinson),
        "stucki" => Some(DitherKind::Stucki),
        "jarvis" => Some(DitherKind::Jarvis),
        "halftone" | "newsprint" => Some(DitherKind::Halftone),
        "grayscale" | "greyscale" => Some(DitherKind::Grayscale),
        _ => None,
    }
}

/// The nearest LightBurn image mode (LightBurn has no Burkes or Sierra: Jarvis is closest).
fn dither_to_lightburn(d: DitherKind) -> &'static str {
    match d {
        DitherKind::Threshold => "threshold",
        DitherKind::Bayer4 | DitherKind::Bayer8 => "ordered",
        DitherKind::FloydSteinberg => "dither",
        DitherKind::Atkinson => "atkinson",
        DitherKind::Stucki => "stucki",
        DitherKind::Halftone => "halftone",
        DitherKind::Grayscale => "grayscale",
        DitherKind::Jarvis
        | DitherKind::Burkes
        | DitherKind::Sierra3
        | DitherKind::Sierra2
        | DitherKind::SierraLite => "jarvis",
    }
}

/// Writes `presets` as a LightBurn library called `display_name`, grouped by material in
/// order of first appearance. Carried: name (as Desc and layer name), material, thickness,
/// mode, speed, powers, passes, fill interval and angle, image interval and dither (the
/// nearest LightBurn mode), air assist; thickness to 0.0001 mm. Not carried: machine and
/// notes (LightBurn has no place for them).
pub fn export_lightburn(presets: &[Preset], display_name: &str) -> String {
    let mut materials: Vec<&str> = Vec::new();
    for p in presets {
        if !materials.contains(&p.material.as_str()) {
            materials.push(&p.material);
        }
    }
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x += &format!(
        "<LightBurnLibrary DisplayName=\"{}\">\n",
        xml_escape(display_name)
    );
    for material in materials {
        x += &format!("    <Material name=\"{}\">\n", xml_escape(material));
        for p in presets.iter().filter(|p| p.material == material) {
            write_entry(&mut x, p);
        }
        x += "    </Material>\n";
    }
    x += "</LightBurnLibrary>\n";
    x
}

fn write_entry(x: &mut String, p: &Preset) {
    let name = xml_escape(&p.name);
    let thickness = p
        .thickness_mm
        .map_or("-1.0000".to_string(), |t| format!("{t:.4}"));
    *x += &format!(
        "        <Entry Thickness=\"{thickness}\" Desc=\"{name}\" NoThickTitle=\"{name}\">\n"
    );
    let (tag, kind) = match p.mode {
        Mode::Line => ("CutSetting", "Cut"),
        Mode::Fill => ("CutSetting", "Scan"),
        Mode::Image => ("CutSetting_Img", "Image"),
    };
    *x += &format!("            <{tag} type=\"{kind}\">\n");
    let mut v = |field: &str, value: &str| {
        *x += &format!("                <{field} Value=\"{value}\"/>\n");
    };
    v("index", "0");
    v("name", &name);
    v(
        "LinkPath",
        &xml_escape(&format!("{}/{}/{}", p.material, p.name, p.name)),
    );
    v("speed", &fmt_num(p.speed_mm_min / 60.0));
    v("maxPower", &fmt_num(p.power_max_pct));
    v("minPower", &fmt_num(p.power_min_pct));
    v("numPasses", &p.passes.to_string());
    v("runBlower", if p.air_assist { "1" } else { "0" });
    match p.mode {
        Mode::Line => {}
        Mode::Fill => {
            if let Some(i) = p.interval_mm {
                v("interval", &fmt_num(i));
            }
            if let Some(a) = p.angle_deg {
                v("angle", &fmt_num(a));
            }
        }
        Mode::Image => {
            if let Some(i) = p.interval_mm {
                v("interval", &fmt_num(i));
                v("dpi", &fmt_num(25.4 / i));
            }
            if let Some(d) = p.dither {
                v("ditherMode", dither_to_lightburn(d));
            }
        }
    }
    v("priority", "0");
    *x += &format!("            </{tag}>\n        </Entry>\n");
}
