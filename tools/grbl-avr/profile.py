#!/usr/bin/env python3
"""Cycles per function from a GRBLSIM_PROF dump: profile.py grbl.elf PROF [PROF2]
(with two dumps: the change from the first to the second). Needs avr-nm (binutils-avr)."""
import bisect, collections, subprocess, sys
syms = []
for line in subprocess.run(["avr-nm", "-n", "-S", "--defined-only", sys.argv[1]], capture_output=True, text=True).stdout.splitlines():
    p = line.split()
    if len(p) >= 3 and p[-2] in "tTwW":
        syms.append((int(p[0], 16), p[-1]))
syms.sort()
starts = [a for a, _ in syms]
def load(path):
    agg = collections.Counter()
    for line in open(path):
        pc, cycles = map(int, line.split())
        i = bisect.bisect_right(starts, pc) - 1
        agg[syms[i][1] if i >= 0 else "?"] += cycles / 16e6
    return agg
a = load(sys.argv[2])
if len(sys.argv) > 3:
    b = load(sys.argv[3])
    for k in sorted(set(a) | set(b), key=lambda k: -abs(b[k] - a[k]))[:25]:
        print(f"{k:36} {a[k]:8.3f} s {b[k]:8.3f} s {b[k] - a[k]:+8.3f} s")
else:
    total = sum(a.values())
    for k, s in a.most_common(25):
        print(f"{k:36} {s:8.3f} s {100 * s / total:6.2f} %")
