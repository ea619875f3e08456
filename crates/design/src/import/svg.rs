//! SVG -> Document through usvg: usvg resolves CSS, `<use>`, nested `<svg>`, transforms, shapes,
//! markers and text into paths once; this module walks the result into doc-space layers.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

use usvg::tiny_skia_path::{self, PathSegment, Transform};

use super::error::ImportErrorKind;
use super::svg_image::{PlacedImage, image_layers, linked_image_resolver, place_image};
use super::units::choose_dpi;
use super::{ImportInfo, ImportOptions};
use crate::document::{
    ClipRegion, DocPoint, Document, FillRule, Layer, LayerSource, PathEl, Rgb, Shape,
};

/// The bundled font: text converts the same on every machine.
static NOTO_SANS: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Regular.ttf");
const BUNDLED_FAMILY: &str = "Noto Sans";

pub(crate) fn import(
    data: &[u8],
    resources_dir: Option<&Path>,
    opts: &ImportOptions,
) -> Result<Document, ImportErrorKind> {
    if data.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportErrorKind::Empty);
    }
    let inflated;
    let data = if data.starts_with(&[0x1f, 0x8b]) {
        inflated = gunzip(data, opts.max_file_bytes)?;
        &inflated[..]
    } else {
        data
    };
    let decoded;
    let text = match std::str::from_utf8(data) {
        Ok(t) => t,
        Err(_) if data.contains(&0) => {
            return Err(ImportErrorKind::NotSvg("binary data, not text".into()));
        }
        Err(e) => {
            decoded = decode_declared(data).ok_or_else(|| {
                ImportErrorKind::NotSvg(format!(
                    "not UTF-8 text (bad byte at offset {}) and no known encoding declared",
                    e.valid_up_to()
                ))
            })?;
            &decoded
        }
    };
    let xml_opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let xml = roxmltree::Document::parse_with_options(text, xml_opts).map_err(|e| {
        let pos = e.pos();
        ImportErrorKind::Xml {
            line: pos.row,
            column: pos.col,
            message: e.to_string(),
        }
    })?;
    let root = xml.root_element();
    if root.tag_name().name() != "svg" {
        return Err(ImportErrorKind::NotSvg(format!(
            "the root element is <{}>, not <svg>",
            root.tag_name().name()
        )));
    }
    check_depth(&xml, opts.max_depth)?;

    let (dpi, dpi_reason, dpi_matters) = choose_dpi(&xml, opts.dpi);
    let warnings = Arc::new(Mutex::new(Vec::<String>::new()));
    let usvg_opts = usvg_options(dpi, resources_dir, opts, warnings.clone());
    let tree = usvg::Tree::from_xmltree(&xml, &usvg_opts).map_err(|e| match e {
        usvg::Error::InvalidSize => ImportErrorKind::InvalidSize,
        usvg::Error::ElementsLimitReached => ImportErrorKind::TooManyElements,
        other => ImportErrorKind::NotSvg(other.to_string()),
    })?;

    let mm_per_px = 25.4 / dpi;
    let size = tree.size();
    let size_mm = (
        f64::from(size.width()) * mm_per_px,
        f64::from(size.height()) * mm_per_px,
    );
    let mut walker = Walker {
        mm_per_px,
        limit_mm: opts.max_coordinate_mm,
        layers: Vec::new(),
        index: HashMap::new(),
        warnings: Vec::new(),
        images: Vec::new(),
        max_image_pixels: opts.max_image_pixels,
    };
    walker.group(tree.root(), Transform::identity(), &[])?;
    let mut warnings_out = warnings.lock().map(|w| w.clone()).unwrap_or_default();
    warnings_out.append(&mut walker.warnings);
    warnings_out.dedup();
    let used: Vec<Rgb> = walker.layers.iter().map(|l| l.colour).collect();
    let mut layers = image_layers(std::mem::take(&mut walker.images), &used);
    // Pictures first, as they are burned first.
    layers.append(&mut walker.layers);
    Ok(Document {
        size_mm,
        layers,
        info: ImportInfo {
            source: None,
            dpi,
            dpi_reason,
            dpi_matters,
            warnings: warnings_out,
        },
    })
}

fn gunzip(data: &[u8], limit: u64) -> Result<Vec<u8>, ImportErrorKind> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| ImportErrorKind::Gzip(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(ImportErrorKind::TooLarge {
            bytes: out.len() as u64,
            limit,
        });
    }
    Ok(out)
}

/// Decodes text in the encoding its XML declaration names (`<?xml ... encoding="windows-1251"?>`).
fn decode_declared(data: &[u8]) -> Option<String> {
    let head = &data[..data.len().min(256)];
    let head = String::from_utf8_lossy(head);
    let decl = head.strip_prefix("<?xml")?.split("?>").next()?;
    let at = decl.find("encoding")? + "encoding".len();
    let rest = decl[at..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let label = rest[1..].split(quote).next()?;
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes())?;
    let (text, _, had_errors) = encoding.decode(data);
    (!had_errors).then(|| text.into_owned())
}

/// usvg converts recursively; refuse absurd nesting before it can exhaust the stack.
fn check_depth(xml: &roxmltree::Document, limit: usize) -> Result<(), ImportErrorKind> {
    let mut stack = vec![(xml.root_element(), 1usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > limit {
            let line = xml.text_pos_at(node.range().start).row;
            return Err(ImportErrorKind::TooDeep { depth, limit, line });
        }
        stack.extend(
            node.children()
                .filter(|c| c.is_element())
                .map(|c| (c, depth + 1)),
        );
    }
    Ok(())
}

fn usvg_options(
    dpi: f64,
    resources_dir: Option<&Path>,
    opts: &ImportOptions,
    warnings: Arc<Mutex<Vec<String>>>,
) -> usvg::Options<'static> {
    let system_fonts = opts.system_fonts;
    let mut o = usvg::Options {
        dpi: dpi as f32,
        font_family: BUNDLED_FAMILY.into(),
        ..Default::default()
    };
    o.resources_dir = resources_dir.map(Path::to_path_buf);
    // Embedded pictures (data URIs) are decoded by usvg's own resolver; linked files only
    // from the SVG's folder: an SVG must not make us open arbitrary local paths.
    o.image_href_resolver = usvg::ImageHrefResolver {
        resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
        resolve_string: linked_image_resolver(
            resources_dir.map(Path::to_path_buf),
            opts.max_file_bytes,
            warnings,
        ),
    };
    let db = o.fontdb_mut();
    db.load_font_data(NOTO_SANS.to_vec());
    if system_fonts {
        db.load_system_fonts();
    }
    db.set_sans_serif_family(BUNDLED_FAMILY);
    db.set_serif_family(BUNDLED_FAMILY);
    db.set_monospace_family(BUNDLED_FAMILY);
    db.set_cursive_family(BUNDLED_FAMILY);
    db.set_fantasy_family(BUNDLED_FAMILY);
    o
}

struct Walker {
    mm_per_px: f64,
    limit_mm: f64,
    layers: Vec<Layer>,
    index: HashMap<Rgb, usize>,
    warnings: Vec<String>,
    /// Pictures found, in document order; they get their layers at the end.
    images: Vec<PlacedImage>,
    max_image_pixels: u64,
}

impl Walker {
    fn group(
        &mut self,
        g: &usvg::Group,
        ts: Transform,
        clips: &[Arc<ClipRegion>],
    ) -> Result<(), ImportErrorKind> {
        let mut own_clips;
        let mut clips = clips;
        if let Some(clip) = g.clip_path() {
            own_clips = clips.to_vec();
            self.clip_regions(clip, ts, &mut own_clips)?;
            clips = &own_clips;
        }
        if g.mask().is_some() {
            self.warnings
                .push("masks are ignored: masked shapes are burned whole".into());
        }
        for node in g.children() {
            match node {
                usvg::Node::Group(child) => {
                    self.group(child, ts.pre_concat(child.transform()), clips)?
                }
                usvg::Node::Path(p) => self.path(p, ts, clips)?,
                usvg::Node::Text(t) => {
                    let flat = t.flattened();
                    self.group(flat, ts.pre_concat(flat.transform()), clips)?;
                }
                usvg::Node::Image(img) => self.image(img, ts, clips)?,
            }
        }
        Ok(())
    }

    /// Adds the regions of `clip` (and of the clip paths it is itself clipped by) to `out`.
    fn clip_regions(
        &mut self,
        clip: &usvg::ClipPath,
        ts: Transform,
        out: &mut Vec<Arc<ClipRegion>>,
    ) -> Result<(), ImportErrorKind> {
        let clip_ts = ts.pre_concat(clip.transform());
        let mut paths = Vec::new();
        let mut rule = None;
        self.collect_clip_paths(clip.root(), clip_ts, &mut paths, &mut rule)?;
        out.push(Arc::new(ClipRegion {
            paths,
            rule: rule.unwrap_or_default(),
        }));
        if let Some(inner) = clip.clip_path() {
            self.clip_regions(inner, ts, out)?;
        }
        Ok(())
    }

    fn collect_clip_paths(
        &mut self,
        g: &usvg::Group,
        ts: Transform,
        paths: &mut Vec<Vec<PathEl>>,
        rule: &mut Option<FillRule>,
    ) -> Result<(), ImportErrorKind> {
        for node in g.children() {
            match node {
                usvg::Node::Group(child) => {
                    self.collect_clip_paths(child, ts.pre_concat(child.transform()), paths, rule)?
                }
                usvg::Node::Path(p) => {
                    // `clip-rule` arrives as the path's fill rule. One rule per region: mixing
                    // rules inside one clipPath is vanishingly rare, so the first one wins.
                    let r = p.fill().map(|f| fill_rule(f.rule())).unwrap_or_default();
                    rule.get_or_insert(r);
                    paths.push(self.convert(p.data(), ts, p.id())?);
                }
                usvg::Node::Text(t) => {
                    let flat = t.flattened();
                    self.collect_clip_paths(flat, ts.pre_concat(flat.transform()), paths, rule)?;
                }
                usvg::Node::Image(_) => {}
            }
        }
        Ok(())
    }

    fn image(
        &mut self,
        img: &usvg::Image,
        ts: Transform,
        clips: &[Arc<ClipRegion>],
    ) -> Result<(), ImportErrorKind> {
        if !img.is_visible() {
            return Ok(());
        }
        if let usvg::ImageKind::SVG(tree) = img.kind() {
            // An SVG used as a picture: its artwork joins the drawing's layers.
            return self.group(tree.root(), ts, clips);
        }
        if !clips.is_empty() {
            self.warnings
                .push("clip paths on pictures are ignored: the whole picture is burned".into());
        }
        if let Some(p) = place_image(
            img,
            ts,
            self.mm_per_px,
            self.max_image_pixels,
            &mut self.warnings,
        ) {
            self.images.push(p);
        }
        Ok(())
    }

    fn path(
        &mut self,
        p: &usvg::Path,
        ts: Transform,
        clips: &[Arc<ClipRegion>],
    ) -> Result<(), ImportErrorKind> {
        if !p.is_visible() {
            return Ok(());
        }
        let (colour, source) = match (p.stroke(), p.fill()) {
            (Some(s), _) => (self.paint_colour(s.paint()), LayerSource::Stroke),
            (None, Some(f)) => (self.paint_colour(f.paint()), LayerSource::Fill),
            (None, None) => return Ok(()),
        };
        let fill_rule = p.fill().map(|f| fill_rule(f.rule())).unwrap_or_default();
        // A dashed stroke is cut as dashes, as drawn.
        let dashed;
        let data = match p
            .stroke()
            .and_then(|s| s.dasharray().map(|d| (d, s.dashoffset())))
        {
            Some((array, offset)) => match tiny_skia_path::StrokeDash::new(array.to_vec(), offset)
                .and_then(|dash| p.data().dash(&dash, 1.0))
            {
                Some(d) => {
                    dashed = d;
                    &dashed
                }
                None => p.data(),
            },
            None => p.data(),
        };
        let path = self.convert(data, ts, p.id())?;
        if path.is_empty() {
            return Ok(());
        }
        let idx = match self.index.get(&colour) {
            Some(&i) => i,
            None => {
                self.layers.push(Layer::new(colour, source));
                self.index.insert(colour, self.layers.len() - 1);
                self.layers.len() - 1
            }
        };
        self.layers[idx].shapes.push(Shape {
            id: p.id().to_string(),
            path,
            fill_rule,
            clips: clips.to_vec(),
        });
        Ok(())
    }

    fn paint_colour(&mut self, paint: &usvg::Paint) -> Rgb {
        let c = match paint {
            usvg::Paint::Color(c) => *c,
            usvg::Paint::LinearGradient(g) => first_stop(g.stops()),
            usvg::Paint::RadialGradient(g) => first_stop(g.stops()),
            usvg::Paint::Pattern(_) => {
                self.warnings.push("pattern paint treated as black".into());
                usvg::Color::black()
            }
        };
        Rgb(c.red, c.green, c.blue)
    }

    /// usvg path (px, local space) -> doc-space path (mm), checking every coordinate.
    fn convert(
        &self,
        data: &tiny_skia_path::Path,
        ts: Transform,
        id: &str,
    ) -> Result<Vec<PathEl>, ImportErrorKind> {
        let k = self.mm_per_px;
        let map = |p: tiny_skia_path::Point| -> Result<DocPoint, ImportErrorKind> {
            let (x, y) = (f64::from(p.x), f64::from(p.y));
            let mx = (f64::from(ts.sx) * x + f64::from(ts.kx) * y + f64::from(ts.tx)) * k;
            let my = (f64::from(ts.ky) * x + f64::from(ts.sy) * y + f64::from(ts.ty)) * k;
            for v in [mx, my] {
                if !v.is_finite() || v.abs() > self.limit_mm {
                    return Err(ImportErrorKind::BadCoordinate {
                        element: if id.is_empty() {
                            "(unnamed path)".into()
                        } else {
                            id.into()
                        },
                        value: v,
                        limit: self.limit_mm,
                    });
                }
            }
            Ok(DocPoint::new(mx, my))
        };
        let mut out = Vec::with_capacity(data.len());
        for seg in data.segments() {
            out.push(match seg {
                PathSegment::MoveTo(p) => PathEl::MoveTo(map(p)?),
                PathSegment::LineTo(p) => PathEl::LineTo(map(p)?),
                PathSegment::QuadTo(c, p) => PathEl::QuadTo(map(c)?, map(p)?),
                PathSegment::CubicTo(c1, c2, p) => PathEl::CubicTo(map(c1)?, map(c2)?, map(p)?),
                PathSegment::Close => PathEl::Close,
            });
        }
        Ok(out)
    }
}

fn first_stop(stops: &[usvg::Stop]) -> usvg::Color {
    stops
        .first()
        .map(|s| s.color())
        .unwrap_or_else(usvg::Color::black)
}

fn fill_rule(r: usvg::FillRule) -> FillRule {
    match r {
        usvg::FillRule::NonZero => FillRule::NonZero,
        usvg::FillRule::EvenOdd => FillRule::EvenOdd,
    }
}
