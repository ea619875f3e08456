#!/usr/bin/env python3
"""Times G-code jobs on GRBL 1.1h (AVR build, simavr) and compares with `burin estimate`.
usage: compare.py BURIN_BIN SETTINGS_NAME JOB... ; results appended to out/results.tsv
Each job is first rewritten as Burin streams it (canon.py: shortest numbers, no comments), so
the firmware receives the bytes the estimate counts."""
import json, subprocess, sys, os
root = os.path.dirname(os.path.abspath(__file__))
burin, sname, jobs = sys.argv[1], sys.argv[2], sys.argv[3:]
# GRBL sets the UART to 117647 baud (16 MHz / (8 * 17), its UBRR for 115200 with U2X), but
# simavr frames each byte in 11 bits: 10695 bytes/s, which is 106950 baud of 8N1 (measured:
# 400 lines of 16 bytes, link-bound, 10682 bytes/s).
LINK_BAUD = 106950
os.makedirs(f"{root}/out/canon", exist_ok=True)
for source in jobs:
    name = os.path.splitext(os.path.basename(source))[0]
    job = f"{root}/out/canon/{name}.gcode"
    subprocess.run([sys.executable, f"{root}/canon.py", source, job], check=True)
    dump = f"{root}/out/{sname}.dump"
    out = f"{root}/out/{name}.{sname}.json"
    if not os.path.exists(out):
        env = dict(os.environ, GRBLSIM_DUMP=dump, GRBLSIM_OKLOG=f"{root}/out/{name}.{sname}.ok")
        r = subprocess.run([f"{root}/grblsim", f"{root}/stock/grbl.elf", f"{root}/settings/{sname}.txt", job],
                           capture_output=True, text=True, env=env, timeout=3600)
        line = [l for l in r.stdout.splitlines() if l.startswith("{")]
        if not line:
            print(name, sname, "emulator failed", r.stderr[-500:]); continue
        open(out, "w").write(line[-1])
    fw = json.loads(open(out).read())
    def est(*extra):
        r = subprocess.run([burin, "estimate", job, "--settings", dump, "--json", *extra], capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"estimate failed: {r.stderr}")
        return json.loads(r.stdout)
    plain = est("--link-baud", "0", "--firmware-lines-per-s", "0")
    linked = est("--link-baud", str(LINK_BAUD))  # default: the 8-bit GRBL line model
    real = fw["job_s"]
    row = [name, sname, fw["lines"], f"{real:.3f}", f"{plain['total_s']:.3f}", f"{100*(plain['total_s']-real)/real:+.2f}%",
           f"{linked['total_s']:.3f}", f"{100*(linked['total_s']-real)/real:+.2f}%", fw["errors"], fw["wall_s"]]
    print("\t".join(map(str, row)), flush=True)
    with open(f"{root}/out/results.tsv", "a") as f:
        f.write("\t".join(map(str, row)) + "\n")
