//! The material test as it burns: the grid is converted like any job, then the G-code is
//! replayed (`burin_gcode::preview`, with the modal F and S tracked line by line) and every
//! burning move is checked against the cell it lies in.

#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use burin_controller::{ConvertOutcome, ConvertSettings, convert_document};
use burin_design::Mode;
use burin_design::test_grid::{GridCell, StepRange, TestGrid, TestGridOptions, Vary, test_grid};
use burin_gcode::{MachineProfile, SegKindPreview, preview};
use burin_toolpath::{Anchor, JobOrigin};

const S_MAX: f64 = 1000.0;

/// One burning piece of motion, machine space, with the feed and S in force.
#[derive(Debug)]
struct Burn {
    from: [f64; 2],
    to: [f64; 2],
    feed: f64,
    s: f64,
}

fn convert(grid: &TestGrid, origin: JobOrigin) -> ConvertOutcome {
    let mut settings = ConvertSettings {
        profile: MachineProfile {
            travel_x_mm: 400.0,
            travel_y_mm: 400.0,
            s_max: S_MAX,
            ..MachineProfile::default()
        },
        ..ConvertSettings::default()
    };
    settings.plan.origin = origin;
    let out = convert_document(grid.document.clone(), &settings).unwrap();
    assert!(out.preflight.is_ok(), "{:?}", out.preflight.findings);
    out
}

fn burns(out: &ConvertOutcome) -> Vec<Burn> {
    // Modal F and S after each line, as GRBL holds them.
    let mut modal = Vec::with_capacity(out.program.len());
    let (mut feed, mut s) = (f64::NAN, 0.0);
    for line in out.program.lines() {
        feed = line.get('F').unwrap_or(feed);
        s = line.get('S').unwrap_or(s);
        modal.push((feed, s));
    }
    preview(&out.program, S_MAX)
        .segments
        .iter()
        .filter(|seg| seg.kind == SegKindPreview::Cut)
        .map(|seg| {
            let (feed, s) = modal[seg.line_idx as usize];
            assert!((f64::from(seg.power) * S_MAX - s).abs() < 0.5, "{seg:?}");
            Burn {
                from: [f64::from(seg.from[0]), f64::from(seg.from[1])],
                to: [f64::from(seg.to[0]), f64::from(seg.to[1])],
                feed,
                s,
            }
        })
        .collect()
}

/// The cell's square in machine space (absolute origin: the page's bottom-left at 0,0).
fn square(cell: &GridCell, page_h: f64) -> ([f64; 2], [f64; 2]) {
    let lo = [cell.top_left.x, page_h - cell.top_left.y - cell.size_mm];
    (lo, [lo[0] + cell.size_mm, lo[1] + cell.size_mm])
}

fn inside(p: [f64; 2], (lo, hi): ([f64; 2], [f64; 2]), tol: f64) -> bool {
    p[0] >= lo[0] - tol && p[0] <= hi[0] + tol && p[1] >= lo[1] - tol && p[1] <= hi[1] + tol
}

fn len(b: &Burn) -> f64 {
    (b.to[0] - b.from[0]).hypot(b.to[1] - b.from[1])
}

/// Checks every burn: inside a cell with that cell's F and S, or a label at the label's.
/// Returns the burned length per cell.
fn check(grid: &TestGrid, opts: &TestGridOptions, out: &ConvertOutcome, tol: f64) -> Vec<f64> {
    let page_h = grid.document.size_mm.1;
    let mut per_cell = vec![0.0; grid.cells.len()];
    let mut label_mm = 0.0;
    let label_s = (opts.label_power_pct / 100.0 * S_MAX).round();
    for b in burns(out) {
        let mid = [(b.from[0] + b.to[0]) / 2.0, (b.from[1] + b.to[1]) / 2.0];
        match grid
            .cells
            .iter()
            .position(|c| inside(mid, square(c, page_h), 1e-3))
        {
            Some(i) => {
                let c = &grid.cells[i];
                let sq = square(c, page_h);
                assert!(
                    inside(b.from, sq, tol) && inside(b.to, sq, tol),
                    "{b:?} leaves cell"
                );
                assert_eq!(b.feed, c.operation.speed_mm_min, "cell {},{}", c.row, c.col);
                let want_s = (c.operation.power_max_pct / 100.0 * S_MAX).round();
                assert_eq!(b.s, want_s, "cell {},{}", c.row, c.col);
                per_cell[i] += len(&b);
            }
            None => {
                assert_eq!(b.feed, opts.label_speed_mm_min, "label burn {b:?}");
                assert_eq!(b.s, label_s, "label burn {b:?}");
                label_mm += len(&b);
            }
        }
    }
    assert!(label_mm > 50.0, "the labels burn: {label_mm} mm");
    per_cell
}

fn three_by_four() -> TestGridOptions {
    TestGridOptions {
        rows: 3,
        cols: 4,
        speed_mm_min: StepRange::new(1000.0, 3000.0),
        power_pct: StepRange::new(20.0, 80.0),
        ..TestGridOptions::default()
    }
}

#[test]
fn fill_cells_burn_at_their_own_feed_and_power() {
    let opts = three_by_four();
    let grid = test_grid(&opts).unwrap();
    let out = convert(&grid, JobOrigin::Absolute);
    let per_cell = check(&grid, &opts, &out, 1e-3);
    // A 10 mm square hatched at 0.1 mm: about 100 lines of 10 mm.
    for (cell, mm) in grid.cells.iter().zip(per_cell) {
        assert!(
            (900.0..1100.0).contains(&mm),
            "cell {},{}: {mm} mm",
            cell.row,
            cell.col
        );
    }
    let text = out.program.to_text();
    for f in ["F1000", "F2000", "F3000", "F1500"] {
        assert!(text.contains(f), "{f}");
    }
}

#[test]
fn cut_cells_repeat_their_passes() {
    let opts = TestGridOptions {
        mode: Mode::Line,
        vary: Vary::Passes,
        power_pct: StepRange::single(90.0),
        passes: StepRange::new(1.0, 4.0),
        ..three_by_four()
    };
    let grid = test_grid(&opts).unwrap();
    let out = convert(&grid, JobOrigin::Absolute);
    let per_cell = check(&grid, &opts, &out, 1e-3);
    for (cell, mm) in grid.cells.iter().zip(per_cell) {
        let want = 40.0 * f64::from(cell.operation.passes);
        assert!(
            (mm - want).abs() < 0.01,
            "cell {},{}: {mm} mm",
            cell.row,
            cell.col
        );
        assert_eq!(cell.operation.passes, cell.col);
    }
}

#[test]
fn interval_variant_and_image_cells() {
    let opts = TestGridOptions {
        vary: Vary::Interval,
        power_pct: StepRange::single(40.0),
        interval_mm: StepRange::new(0.1, 0.4),
        ..three_by_four()
    };
    let grid = test_grid(&opts).unwrap();
    let per_cell = check(&grid, &opts, &convert(&grid, JobOrigin::Absolute), 1e-3);
    for (cell, mm) in grid.cells.iter().zip(per_cell) {
        let want = 100.0 / cell.interval_mm().unwrap();
        assert!(
            (mm / want - 1.0).abs() < 0.1,
            "cell {},{}: {mm} mm",
            cell.row,
            cell.col
        );
    }

    let opts = TestGridOptions {
        mode: Mode::Image,
        ..three_by_four()
    };
    let grid = test_grid(&opts).unwrap();
    // Raster rows sit on the pixel grid: allow one pixel.
    let per_cell = check(
        &grid,
        &opts,
        &convert(&grid, JobOrigin::Absolute),
        0.1 + 1e-3,
    );
    assert!(per_cell.iter().all(|mm| *mm > 800.0), "{per_cell:?}");
}

#[test]
fn placed_at_the_head_it_still_passes_preflight() {
    let grid = test_grid(&three_by_four()).unwrap();
    let out = convert(
        &grid,
        JobOrigin::CurrentPosition {
            anchor: Anchor::Center,
        },
    );
    let b = out.stats.bounds.unwrap();
    assert!(
        b.x_min_mm < 0.0 && b.x_max_mm > 0.0,
        "centred on the head: {b:?}"
    );
    assert!((b.width_mm() - grid.document.size_mm.0).abs() < 0.5);
}
