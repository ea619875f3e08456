//! Times G-code files on the firmware model, for calibrating `burin_firmware::cpu` against
//! runs of the real firmware (`tools/grbl-avr`).
//! usage: fw_time SETTINGS_DUMP BAUD JOB... ; `FW_CPU=line=0.1,prep=0.8,...` (milliseconds;
//! keys line byte word plan axis junction replan checkpoint prep tick) overrides the 8-bit model's constants, `FW_SEGMENTS=0` turns the segment
//! buffer model off.
use burin_firmware::Settings;
use burin_firmware::cpu::{Delivery, FirmwareCpu};
use burin_firmware::timing::{JobTimer, prefiltered};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((dump, rest)) = args.split_first() else {
        eprintln!("usage: fw_time SETTINGS_DUMP BAUD JOB...");
        std::process::exit(2);
    };
    let Some((baud, jobs)) = rest.split_first() else {
        eprintln!("usage: fw_time SETTINGS_DUMP BAUD JOB...");
        std::process::exit(2);
    };
    let text = read_or_exit(dump);
    let (settings, _) = Settings::from_dump(&text);
    let Ok(baud) = baud.parse::<u32>() else {
        eprintln!("fw_time: BAUD must be a whole number (0: no link limit), not {baud:?}");
        std::process::exit(2);
    };
    let mut delivery = Delivery::grbl_328p(baud);
    let mut cpu = FirmwareCpu::grbl_328p();
    if let Ok(v) = std::env::var("FW_CPU") {
        for kv in v.split(',') {
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            let Ok(ms) = v.parse::<f64>().map(|v| v * 1e-3) else {
                eprintln!("fw_time: FW_CPU {k}={v}: not a number of milliseconds");
                std::process::exit(2);
            };
            match k {
                "line" => cpu.line_s = ms,
                "byte" => cpu.per_byte_s = ms,
                "word" => cpu.per_word_s = ms,
                "plan" => cpu.plan_block_s = ms,
                "axis" => cpu.plan_axis_s = ms,
                "junction" => cpu.plan_junction_s = ms,
                "replan" => cpu.replan_block_s = ms,
                "checkpoint" => cpu.checkpoint_s = ms,
                "prep" => cpu.prep_segment_s = ms,
                "prepblock" => cpu.prep_block_s = ms,
                "prepramp" => cpu.prep_ramp_s = ms,
                "preptri" => cpu.prep_triangle_s = ms,
                "tick" => cpu.isr_tick_s = ms,
                other => eprintln!("unknown FW_CPU key {other}"),
            }
        }
    }
    if let Ok(n) = std::env::var("FW_SEGMENTS") {
        cpu.segment_buffer_blocks = n.parse().unwrap_or(5);
    }
    delivery.cpu = Some(cpu);
    for job in jobs {
        let text = read_or_exit(job);
        let mut timer = JobTimer::new(settings.clone(), 15, delivery);
        let mut filtered = Vec::new();
        for (i, line) in text.lines().filter(|l| !l.is_empty()).enumerate() {
            timer.line(i, prefiltered(line, &mut filtered), line.len() + 1);
        }
        let (_, totals) = timer.finish();
        // The firmware run is timed to its last step: without the `$1` wait after it.
        let last_step_s = totals.total_s - cpu.idle_delay_s(settings.step_idle_delay_ms);
        println!(
            "{job}\t{last_step_s:.4}\t{:.4}\t{:.4}",
            totals.idle_delay_s, totals.starved_s
        );
    }
}

fn read_or_exit(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("fw_time: {path}: {e}");
        std::process::exit(2);
    })
}
