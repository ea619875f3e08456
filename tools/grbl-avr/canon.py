"""Rewrites G-code as Burin streams it (its Program's canonical text): words without spaces,
numbers in the shortest form that reads back (Rust's f64 Display, `.5` for 0.5), comments dropped."""
import re, sys
from decimal import Decimal
def num(v):
    f = float(v)
    if f == 0.0: return "0"
    s = repr(f)
    if 'e' in s or 'E' in s: s = format(Decimal(s), 'f')
    if s.endswith('.0'): s = s[:-2]
    # no leading zero before the point, as Burin's emitter and its Program text write it
    if s.startswith('0.'): s = s[1:]
    elif s.startswith('-0.'): s = '-' + s[2:]
    return s
def canon(line):
    line = line.split(';')[0]
    line = re.sub(r'\([^)]*\)', '', line).replace(' ', '').upper()
    if not line or line.startswith('$'): return line
    return ''.join(l + num(v) for l, v in re.findall(r'([A-Z])([-+]?[0-9.]+)', line))
src, dst = sys.argv[1], sys.argv[2]
out = [canon(l.rstrip('\r\n')) for l in open(src)]
open(dst, 'w').write('\n'.join(l for l in out if l) + '\n')
