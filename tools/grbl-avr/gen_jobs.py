#!/usr/bin/env python3
"""Writes the synthetic jobs used to compare the estimate with GRBL on simavr into jobs/."""
import math, os
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jobs")
os.makedirs(out, exist_ok=True)
def write(name, lines):
    open(os.path.join(out, name + ".gcode"), "w").write("\n".join(lines) + "\n")

# Tiny segments: a spiral of 0.05 mm chords at F3000, laser on.
L = ["G21G90", "M4S600", "G0X40Y40", "G1F3000"]
r, a = 2.0, 0.0
while r < 15:
    L.append("X%.3fY%.3f" % (40 + r * math.cos(a), 40 + r * math.sin(a)))
    a += 0.05 / r
    r += 0.05 * 0.02
write("tiny_spiral", L + ["M5", "G0X0Y0"])

# Arcs: circles of several radii, centre and radius formats, both directions.
L = ["G21G90", "M4S800", "F1500"]
for r, cw in [(0.5, 1), (2, 0), (5, 1), (12, 0), (30, 1)]:
    cx = cy = 50
    L.append("G0X%.3fY%.3f" % (cx + r, cy))
    L.append("%sX%.3fY%.3fI%.3fJ0" % ("G2" if cw else "G3", cx + r, cy, -r))
    L.append("G1X%.3f" % (cx + r + 1))
    L.append("%sX%.3fY%.3fR%.3f" % ("G3" if cw else "G2", cx + r + 1 + 2 * r, cy, r))
write("arcs", L + ["M5", "G0X0Y0"])

# Cuts: squares at three feeds with dwells.
L = ["G21G90", "M3S1000"]
for f in (300, 1200, 4000):
    L += ["G0X10Y10", "G1X60Y10F%d" % f, "X60Y60", "X10Y60", "X10Y10", "G4P0.5"]
write("squares", L + ["M5", "G0X0Y0"])

# Held out of the fit: 16 circles of 1 to 5.5 mm radius as 0.08 mm chords, rapids between.
L = ["G21G90", "M4S0", "G1F1800"]
for k in range(16):
    cx, cy, r = 10 + (k % 4) * 12, 10 + (k // 4) * 12, 1 + 0.3 * k
    n = max(8, int(2 * math.pi * r / 0.08))
    L += ["G0X%.3fY%.3f" % (cx + r, cy), "G1S700"]
    L += ["X%.3fY%.3f" % (cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n)) for i in range(1, n + 1)]
    L.append("S0")
write("circles", L + ["M5", "G0X0Y0"])

# Parser-bound runs (calibrate the firmware's time per line).
for name, line in [("syn_short", "X0.05"), ("syn_xy", "X0.05Y0.05"), ("syn_s", "X0.05S500")]:
    write(name, ["G21G91", "M4S500", "G1F3000"] + [line] * 3000 + ["M5", "G90"])
write("syn_zig", ["G21G91", "M4S500", "G1F3000"] + ["X.05Y.004", "X.05Y-.004"] * 1500 + ["M5", "G90"])
