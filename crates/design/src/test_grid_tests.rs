#![allow(clippy::unwrap_used)] // tests unwrap: a failure is the test failing

use super::*;

fn three_by_four() -> TestGridOptions {
    TestGridOptions {
        rows: 3,
        cols: 4,
        speed_mm_min: StepRange::new(1000.0, 3000.0),
        power_pct: StepRange::new(20.0, 80.0),
        ..TestGridOptions::default()
    }
}

/// Every point of every path of `layer`.
fn points(layer: &Layer) -> Vec<DocPoint> {
    layer
        .shapes
        .iter()
        .flat_map(|s| &s.path)
        .filter_map(|el| match *el {
            PathEl::MoveTo(p) | PathEl::LineTo(p) => Some(p),
            _ => None,
        })
        .collect()
}

#[test]
fn cells_step_speed_down_rows_and_power_across_columns() {
    let grid = test_grid(&three_by_four()).unwrap();
    assert_eq!(grid.cells.len(), 12);
    let doc = &grid.document;
    assert_eq!(doc.layers.len(), 13, "one layer per cell, plus the labels");
    let mut colours: Vec<Rgb> = doc.layers.iter().map(|l| l.colour).collect();
    colours.sort();
    colours.dedup();
    assert_eq!(colours.len(), 13, "every layer has its own colour");
    for cell in &grid.cells {
        let want_speed = [1000.0, 2000.0, 3000.0][(cell.row - 1) as usize];
        let want_power = [20.0, 40.0, 60.0, 80.0][(cell.col - 1) as usize];
        let op = &doc.layer(cell.colour).unwrap().operation;
        assert_eq!(op, &cell.operation);
        assert_eq!(op.mode, Mode::Fill);
        assert_eq!(op.speed_mm_min, want_speed, "{},{}", cell.row, cell.col);
        assert!((op.power_max_pct - want_power).abs() < 1e-9);
        assert_eq!(op.passes, 1);
        assert_eq!(cell.interval_mm(), Some(0.1));
    }
    assert_eq!(grid.cell(2, 3).unwrap().operation.speed_mm_min, 2000.0);
    assert!(grid.cell(4, 1).is_none());
}

#[test]
fn squares_sit_on_the_pitch_and_labels_stay_off_them() {
    let opts = three_by_four();
    let grid = test_grid(&opts).unwrap();
    let pitch = opts.cell_mm + opts.gap_mm;
    let first = grid.cell(1, 1).unwrap().top_left;
    for cell in &grid.cells {
        let want = DocPoint::new(
            first.x + f64::from(cell.col - 1) * pitch,
            first.y + f64::from(cell.row - 1) * pitch,
        );
        assert!((cell.top_left.x - want.x).abs() < 1e-9);
        assert!((cell.top_left.y - want.y).abs() < 1e-9);
        let square = points(grid.document.layer(cell.colour).unwrap());
        assert_eq!(square.len(), 4);
        assert!(
            square
                .iter()
                .all(|p| p.x >= cell.top_left.x - 1e-9
                    && p.x <= cell.top_left.x + opts.cell_mm + 1e-9)
        );
    }
    let labels = grid.document.layer(LABEL_COLOUR).unwrap();
    assert_eq!(labels.operation.mode, Mode::Line);
    assert_eq!(labels.operation.power_max_pct, 20.0);
    assert_eq!(labels.operation.speed_mm_min, 1500.0);
    assert_eq!(
        grid.document.layers[0].colour, LABEL_COLOUR,
        "labels burn first"
    );
    let (w, h) = grid.document.size_mm;
    for p in points(labels) {
        assert!(p.x >= -1e-9 && p.x <= w + 1e-9 && p.y >= -1e-9 && p.y <= h + 1e-9);
        for cell in &grid.cells {
            let inside = p.x > cell.top_left.x - 0.1
                && p.x < cell.top_left.x + cell.size_mm + 0.1
                && p.y > cell.top_left.y - 0.1
                && p.y < cell.top_left.y + cell.size_mm + 0.1;
            assert!(
                !inside,
                "label point {p:?} on cell {},{}",
                cell.row, cell.col
            );
        }
    }
    let last = grid.cell(3, 4).unwrap();
    assert!(w >= last.top_left.x + opts.cell_mm - 1e-9);
    assert!((last.top_left.y + opts.cell_mm - h).abs() < 1e-9);
}

#[test]
fn column_labels_shrink_to_fit_the_pitch() {
    let opts = TestGridOptions {
        cols: 6,
        vary: Vary::Interval,
        power_pct: StepRange::single(50.0),
        interval_mm: StepRange::new(0.055, 0.305),
        cell_mm: 5.0,
        gap_mm: 1.0,
        text_mm: 4.0,
        ..TestGridOptions::default()
    };
    let grid = test_grid(&opts).unwrap();
    let labels = points(grid.document.layer(LABEL_COLOUR).unwrap());
    // Above the grid, the column labels: none wider than a pitch.
    let top = grid.cell(1, 1).unwrap().top_left.y;
    for c in 0..opts.cols {
        let centre = grid.cells[c as usize].top_left.x + 2.5;
        let near: Vec<&DocPoint> = labels
            .iter()
            .filter(|p| p.y < top && p.y > top - 6.0 && (p.x - centre).abs() < 3.5)
            .collect();
        assert!(!near.is_empty(), "column {c} has a label");
    }
    assert_eq!(column_label(&opts, 0), "0.055");
    assert_eq!(column_label(&opts, 5), "0.305");
}

#[test]
fn interval_and_passes_variants() {
    let opts = TestGridOptions {
        rows: 2,
        cols: 3,
        vary: Vary::Interval,
        power_pct: StepRange::single(45.0),
        interval_mm: StepRange::new(0.05, 0.25),
        ..TestGridOptions::default()
    };
    let grid = test_grid(&opts).unwrap();
    let intervals: Vec<f64> = grid.cells[..3]
        .iter()
        .map(|c| c.interval_mm().unwrap())
        .collect();
    assert_eq!(intervals, [0.05, 0.15, 0.25]);
    assert!(grid.cells.iter().all(|c| c.operation.power_max_pct == 45.0));
    assert!(legend(&opts).contains("cols interval mm"));
    assert!(legend(&opts).contains("power 45%"));

    let opts = TestGridOptions {
        mode: Mode::Line,
        rows: 2,
        cols: 4,
        vary: Vary::Passes,
        power_pct: StepRange::single(90.0),
        passes: StepRange::new(1.0, 4.0),
        ..TestGridOptions::default()
    };
    let grid = test_grid(&opts).unwrap();
    let passes: Vec<u32> = grid.cells[..4].iter().map(|c| c.operation.passes).collect();
    assert_eq!(passes, [1, 2, 3, 4]);
    assert!(grid.cells.iter().all(|c| c.operation.mode == Mode::Line));
    assert_eq!(grid.cells[0].interval_mm(), None);
    assert_eq!(
        legend(&opts),
        "cut: rows speed mm/min, cols passes, power 90%"
    );
}

#[test]
fn values_are_rounded_to_what_the_program_says() {
    let opts = TestGridOptions {
        rows: 4,
        cols: 4,
        speed_mm_min: StepRange::new(1000.0, 2000.0),
        power_pct: StepRange::new(10.0, 20.0),
        ..TestGridOptions::default()
    };
    let grid = test_grid(&opts).unwrap();
    let c = grid.cell(2, 2).unwrap();
    assert_eq!(c.operation.speed_mm_min, 1333.0);
    assert!((c.operation.power_max_pct - 13.3).abs() < 1e-9);
    assert_eq!(column_label(&opts, 1), "13.3");
}

#[test]
fn image_cells_are_solid_pictures() {
    let opts = TestGridOptions {
        mode: Mode::Image,
        rows: 2,
        cols: 2,
        ..TestGridOptions::default()
    };
    let grid = test_grid(&opts).unwrap();
    for cell in &grid.cells {
        let layer = grid.document.layer(cell.colour).unwrap();
        let b = layer.image.as_ref().unwrap();
        assert_eq!(b.luma, vec![0]);
        assert_eq!(b.top_left, cell.top_left);
        assert_eq!(b.size_mm, (10.0, 10.0));
        assert_eq!(layer.operation.image.dither, DitherKind::Threshold);
    }
}

#[test]
fn without_labels_the_page_is_the_grid() {
    let opts = TestGridOptions {
        labels: false,
        rows: 2,
        cols: 3,
        ..TestGridOptions::default()
    };
    let grid = test_grid(&opts).unwrap();
    assert_eq!(grid.document.size_mm, (34.0, 22.0));
    assert!(grid.document.layer(LABEL_COLOUR).is_none());
    assert_eq!(grid.cell(1, 1).unwrap().top_left, DocPoint::new(0.0, 0.0));
}

#[test]
fn bad_options_are_refused_with_the_reason() {
    let base = TestGridOptions::default();
    let cases: Vec<(TestGridOptions, &str)> = vec![
        (
            TestGridOptions {
                rows: 0,
                ..base.clone()
            },
            "rows must be 1..20",
        ),
        (
            TestGridOptions {
                cols: 21,
                ..base.clone()
            },
            "columns must be 1..20",
        ),
        (
            TestGridOptions {
                power_pct: StepRange::new(10.0, 120.0),
                ..base.clone()
            },
            "power must be 0..100",
        ),
        (
            TestGridOptions {
                speed_mm_min: StepRange::new(0.0, 100.0),
                ..base.clone()
            },
            "speed",
        ),
        (
            TestGridOptions {
                vary: Vary::Passes,
                passes: StepRange::new(1.0, 5.0),
                ..base.clone()
            },
            "power is fixed when the columns vary passes",
        ),
        (
            TestGridOptions {
                passes: StepRange::new(1.5, 1.5),
                ..base.clone()
            },
            "passes must be whole numbers",
        ),
        (
            TestGridOptions {
                mode: Mode::Line,
                vary: Vary::Interval,
                power_pct: StepRange::single(50.0),
                interval_mm: StepRange::new(0.1, 0.2),
                ..base.clone()
            },
            "cut squares have no line interval",
        ),
        (
            TestGridOptions {
                cell_mm: f64::NAN,
                ..base.clone()
            },
            "cell size",
        ),
        (
            TestGridOptions {
                label_power_pct: 101.0,
                ..base.clone()
            },
            "label power",
        ),
    ];
    for (opts, want) in cases {
        let e = test_grid(&opts).unwrap_err().to_string();
        assert!(e.contains(want), "{e:?} should say {want:?}");
    }
    assert!(test_grid(&base).is_ok());
}

#[test]
fn step_ranges_go_either_way() {
    let r = StepRange::new(6000.0, 1000.0);
    assert_eq!(r.step(0, 6), 6000.0);
    assert_eq!(r.step(5, 6), 1000.0);
    assert_eq!(r.step(1, 6), 5000.0);
    assert_eq!(StepRange::single(3.0).step(4, 5), 3.0);
    assert_eq!(StepRange::new(1.0, 2.0).step(0, 1), 1.0);
}
