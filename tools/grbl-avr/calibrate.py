#!/usr/bin/env python3
"""The firmware (grblsim, results cached in out/cal/) against Burin's firmware model
(`cargo build --release -p burin-firmware --example fw_time`) on the jobs below, which must
be in jobs/ as Burin streams them (see README.md).
usage: calibrate.py fw [NAMES]          -- run the missing firmware jobs (INCL=1: with cycle counts)
       calibrate.py eval [PARAMS] [NAMES] -- table; PARAMS as FW_CPU takes them, `-` for none
       calibrate.py fit PARAMS NAMES    -- Nelder-Mead (scipy) on PARAMS' keys over NAMES"""
import json, os, subprocess, sys, math
G = os.path.dirname(os.path.abspath(__file__))
FWT = os.path.join(G, "../../target/release/examples/fw_time")
# simavr frames a byte in 11 bits: GRBL's 117647 baud carries 106950 baud's worth of 8N1.
BAUD = "106950"
J = os.path.join(G, "jobs")
OUT = os.path.join(G, "out/cal")
JOBS = [  # name, settings, path, fit?
    ("x", "diode", f"{J}/syn_short.gcode"), ("xy", "diode", f"{J}/syn_xy.gcode"), ("xs", "diode", f"{J}/syn_s.gcode"),
    ("zig", "diode", f"{J}/syn_zig.gcode"),
    ("qx", "quick", f"{J}/q_short.gcode"), ("qxy", "quick", f"{J}/q_xy.gcode"),
    ("spiral", "diode", f"{J}/tiny_spiral.gcode"), ("spiral", "slow", f"{J}/tiny_spiral.gcode"), ("spiral", "co2", f"{J}/tiny_spiral.gcode"),
    ("circles", "diode", f"{J}/circles.gcode"), ("circles", "slow", f"{J}/circles.gcode"), ("circles", "co2", f"{J}/circles.gcode"),
    ("squares", "diode", f"{J}/squares.gcode"), ("arcs", "diode", f"{J}/arcs.gcode"),
    ("debian", "diode", f"{J}/logo_simpleicons_debian.gcode"), ("debian", "co2", f"{J}/logo_simpleicons_debian.gcode"),
    ("rocket", "diode", f"{J}/lineart_tabler_rocket.gcode"), ("settings", "diode", f"{J}/lineart_tabler_settings.gcode"),
    ("photo", "diode", f"{J}/photo_gray.gcode"), ("photo", "co2", f"{J}/photo_gray.gcode"),
    ("jarvis", "diode", f"{J}/photo_jarvis.gcode"),
    ("photocap", "co2", f"{J}/photo_cap.gcode"), ("photo", "slow", f"{J}/photo_gray.gcode"),
    ("gears", "diode", f"{J}/boxes_Gears_24-12.gcode"), ("gears", "co2", f"{J}/boxes_Gears_24-12.gcode"),
    ("igears", "diode", f"{J}/inkscape_ex_live-path-effects-gears.gcode"), ("text", "slow", f"{J}/resvg_text_text_simple-case.gcode"),
    ("xy", "slow", f"{J}/syn_xy.gcode"), ("circles", "quick", f"{J}/circles.gcode"),
]
def key(n, s): return f"{n}.{s}"
# What each part of GRBL's main loop costs: functions counted with their callees (see grblsim.c).
FUNCTIONS = ("gc_execute_line mc_line plan_buffer_line planner_recalculate protocol_execute_realtime "
             "st_prep_buffer report_status_message read_float serial_read protocol_buffer_synchronize "
             "protocol_auto_cycle_start convert_delta_vector_to_unit_vector limit_value_by_axis_maximum "
             "st_go_idle delay_ms __vector_11 __vector_16 __vector_18 __vector_19").split()
def nm():
    out = subprocess.run(["avr-nm", f"{G}/stock/grbl.elf"], capture_output=True, text=True).stdout
    return {p[2]: p[0] for p in (l.split() for l in out.splitlines()) if len(p) == 3}
def incl_functions():
    syms = nm(); return "".join(f"{syms[f].lstrip('0')} {f}\n" for f in FUNCTIONS if f in syms)
def symbol(name): return nm()[name]
def fw(n, s, path):
    out = f"{OUT}/{key(n, s)}.json"
    if os.path.exists(out): return json.load(open(out))
    if not os.path.exists(path): return None
    env = dict(os.environ, GRBLSIM_DUMP=f"{OUT}/{s}.dump", GRBLSIM_OKLOG=f"{OUT}/{key(n, s)}.ok")
    if os.environ.get("INCL"):
        inc = f"{OUT}/{key(n, s)}.incl"; open(inc, "w").write(incl_functions())
        env["GRBLSIM_INCL"] = inc; env["GRBLSIM_WATCH"] = symbol("segment_buffer_head")
        env["GRBLSIM_HIST"] = "st_prep_buffer"
    r = subprocess.run([f"{G}/grblsim", f"{G}/stock/grbl.elf", f"{G}/settings/{s}.txt", path], capture_output=True, text=True, env=env)
    line = [l for l in r.stdout.splitlines() if l.startswith("{")]
    if not line: print(n, s, "failed", r.stderr[-300:]); return None
    open(out, "w").write(line[-1]); return json.loads(line[-1])
def model(params, jobs):
    env = dict(os.environ)
    if params: env["FW_CPU"] = params if isinstance(params, str) else ",".join(f"{k}={v:.6f}" for k, v in params.items())
    res = {}
    by_s = {}
    for n, s, p in jobs: by_s.setdefault(s, []).append((n, p))
    for s, lst in by_s.items():
        r = subprocess.run([FWT, f"{OUT}/{s}.dump", BAUD] + [p for _, p in lst], capture_output=True, text=True, env=env)
        for (n, _), line in zip(lst, r.stdout.splitlines()):
            f = line.split("\t"); res[key(n, s)] = (float(f[1]), float(f[2]), float(f[3]))
    return res
def avail(names=None):
    out = []
    for n, s, p in JOBS:
        if names and key(n, s) not in names and n not in names: continue
        if os.path.exists(f"{OUT}/{key(n, s)}.json") and os.path.exists(f"{OUT}/{s}.dump"): out.append((n, s, p))
    return out
def errs(params, jobs):
    m = model(params, jobs)
    return {key(n, s): (m[key(n, s)][0] - fw(n, s, p)["job_s"]) / fw(n, s, p)["job_s"] for n, s, p in jobs}
if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    cmd = sys.argv[1]
    if cmd == "fw":
        only = sys.argv[2:]
        for n, s, p in JOBS:
            if only and key(n, s) not in only and n not in only: continue
            r = fw(n, s, p); print(key(n, s), r and r["job_s"], r and r["errors"], flush=True)
    elif cmd == "eval":
        params = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] != "-" else None
        jobs = avail(sys.argv[3:] or None)
        m = model(params, jobs)
        sq = []
        for n, s, p in jobs:
            f = fw(n, s, p)["job_s"]; t = m[key(n, s)]
            e = 100 * (t[0] - f) / f; sq.append(e * e)
            print(f"{key(n, s):18} fw {f:9.3f}  model {t[0]:9.3f}  {e:+6.2f} %  idle {t[1]:.3f} starved {t[2]:.3f}")
        print(f"rms {math.sqrt(sum(sq) / len(sq)):.2f} %")
    elif cmd == "fit":
        from scipy.optimize import minimize
        jobs = avail(sys.argv[3:])
        kv = [a.split("=") for a in sys.argv[2].split(",")]
        keys = [k for k, _ in kv]; x0 = [float(v) for _, v in kv]
        def f(x):
            if min(x) < 0: return 1e9
            e = errs(dict(zip(keys, x)), jobs); return sum(v * v for v in e.values())
        r = minimize(f, x0, method="Nelder-Mead", options=dict(xatol=1e-4, fatol=1e-8, maxiter=300))
        print(",".join(f"{k}={v:.4f}" for k, v in zip(keys, r.x)), math.sqrt(r.fun / len(jobs)) * 100)
