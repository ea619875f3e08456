//! Plans every SVG given on the command line and prints timings and travel, e.g.
//! `cargo run --release -p burin-toolpath --example plan_corpus -- ../shared/corpus/svg/*.svg`.

use std::time::Instant;

use burin_toolpath::{Move, PlanOptions, plan};

fn main() {
    for arg in std::env::args().skip(1) {
        let t0 = Instant::now();
        let doc = match burin_design::import_svg_file(arg.as_ref(), &Default::default()) {
            Ok(mut d) => {
                if std::env::var_os("LINE").is_some() {
                    for l in &mut d.layers {
                        l.operation =
                            burin_design::Operation::defaults_for(burin_design::Mode::Line);
                    }
                }
                d
            }
            Err(e) => {
                println!("{e}");
                continue;
            }
        };
        let t1 = Instant::now();
        let mut opts = PlanOptions::default();
        if std::env::var_os("NO_OPT").is_some() {
            opts.order.optimize = false;
        }
        if std::env::var_os("NO_INNER").is_some() {
            opts.order.inner_first = false;
        }
        if let Some(k) = std::env::var("K").ok().and_then(|k| k.parse().ok()) {
            opts.order.neighbours = k;
        }
        opts.origin = burin_toolpath::JobOrigin::CurrentPosition {
            anchor: burin_toolpath::Anchor::BottomLeft,
        };
        let (tp, _) = match plan(&doc, &opts) {
            Ok(r) => r,
            Err(e) => {
                println!("{arg}: {e}");
                continue;
            }
        };
        let t2 = Instant::now();
        let s = tp.stats();
        let rapids = tp
            .blocks
            .iter()
            .flat_map(|b| &b.moves)
            .filter(|m| matches!(m, Move::Rapid { .. }))
            .count();
        println!(
            "{:<60} import {:>7.1} ms  plan {:>7.1} ms  moves {:>8}  rapids {:>6}  cut {:>10.1} mm  rapid {:>9.1} mm",
            arg.rsplit('/').next().unwrap_or(&arg),
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            tp.move_count(),
            rapids,
            s.cut_mm,
            s.rapid_mm
        );
    }
}
