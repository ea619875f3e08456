//! GRBL's number syntax (`nuts_bolts.c`'s `read_float`), read straight from the line's bytes.

/// GRBL's `read_float`: optional sign, digits with at most one `.`, no exponent. Returns the
/// f64 nearest the decimal (what `str::parse::<f64>` gives) and moves `i` past the number;
/// `None` (GRBL's bad number format) without a digit. Runs on every word of every line, so it
/// never allocates. (Like the model always did, every digit counts; the AVR firmware keeps 8
/// significant digits in a 32-bit float.)
pub fn read_float(line: &[u8], i: &mut usize) -> Option<f64> {
    let start = *i;
    let mut j = start;
    let negative = match line.get(j) {
        Some(b'-') => {
            j += 1;
            true
        }
        Some(b'+') => {
            j += 1;
            false
        }
        _ => false,
    };
    // The digits as an integer and the count of them after the point: value = mantissa / 10^scale.
    let mut mantissa: u64 = 0;
    let mut scale = 0usize;
    let mut digits = 0usize;
    // Leading zeros add nothing to the mantissa, so only the digits after them can overflow it.
    let mut significant = 0usize;
    let mut dot = false;
    while let Some(&c) = line.get(j) {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if mantissa != 0 || c != b'0' {
                    significant += 1;
                }
                if significant <= MAX_EXACT_DIGITS {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                }
                if dot {
                    scale += 1;
                }
            }
            b'.' if !dot => dot = true,
            _ => break,
        }
        j += 1;
    }
    if digits == 0 {
        return None;
    }
    // Clinger's fast path: an integer below 2^53 and a power of ten up to 10^22 are both exact
    // in f64, so one IEEE division rounds correctly, as the standard parser would.
    let value = if significant <= MAX_EXACT_DIGITS
        && mantissa <= MAX_EXACT_MANTISSA
        && let Some(&power) = POWERS_OF_TEN.get(scale)
    {
        let magnitude = mantissa as f64 / power;
        if negative { -magnitude } else { magnitude }
    } else {
        // Long or tiny numbers (rare in G-code): the standard library's correctly rounded
        // parser, on the same bytes (ASCII sign, digits and point: valid UTF-8, a valid float).
        std::str::from_utf8(line.get(start..j)?)
            .ok()?
            .parse()
            .ok()?
    };
    *i = j;
    Some(value)
}

/// Digits that always fit in a `u64` mantissa (10^19 - 1 < 2^64).
const MAX_EXACT_DIGITS: usize = 19;
/// 2^53: every integer up to it is exact in f64.
const MAX_EXACT_MANTISSA: u64 = 1 << 53;
/// 10^0..=10^22: the powers of ten exact in f64.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The previous implementation (the digits copied into a `String` and parsed by the
    /// standard library): the new one must give the same bits and stop at the same byte.
    fn reference(line: &[u8], i: &mut usize) -> Option<f64> {
        let mut j = *i;
        let mut text = String::new();
        if j < line.len() && (line[j] == b'-' || line[j] == b'+') {
            if line[j] == b'-' {
                text.push('-');
            }
            j += 1;
        }
        text.push('0');
        let mut digits = 0;
        let mut dot = false;
        while j < line.len() {
            match line[j] {
                c @ b'0'..=b'9' => {
                    digits += 1;
                    text.push(char::from(c));
                }
                b'.' if !dot => {
                    dot = true;
                    text.push('.');
                }
                _ => break,
            }
            j += 1;
        }
        if digits == 0 {
            return None;
        }
        if dot {
            text.push('0');
        }
        let v: f64 = text.parse().ok()?;
        *i = j;
        Some(v)
    }

    /// Same result bits (sign of zero included) and same end position, from `start`.
    fn check(s: &str, start: usize) {
        let (mut i_new, mut i_old) = (start, start);
        let new = read_float(s.as_bytes(), &mut i_new);
        let old = reference(s.as_bytes(), &mut i_old);
        assert_eq!(
            new.map(f64::to_bits),
            old.map(f64::to_bits),
            "{s:?}: {new:?} vs {old:?}"
        );
        assert_eq!(i_new, i_old, "{s:?}");
    }

    #[test]
    fn read_float_like_grbl() {
        for (s, v) in [
            ("1", 1.0),
            ("-1.5", -1.5),
            (".5", 0.5),
            ("-.5", -0.5),
            ("2.", 2.0),
            ("+3", 3.0),
            ("007", 7.0),
        ] {
            let mut i = 0;
            assert_eq!(read_float(s.as_bytes(), &mut i), Some(v), "{s}");
            assert_eq!(i, s.len());
        }
        for s in ["", "-", "+", ".", "-.", "+.", "X", "--1", "+-1", "..5"] {
            let mut i = 0;
            assert_eq!(read_float(s.as_bytes(), &mut i), None, "{s}");
            assert_eq!(i, 0, "{s}: a bad number consumes nothing");
        }
        let mut i = 1;
        assert_eq!(read_float(b"X1.5.2Y", &mut i), Some(1.5));
        assert_eq!(i, 4, "a second point ends the number");
    }

    #[test]
    fn edge_cases_match_the_previous_parser() {
        let long_int = "1".repeat(400);
        let tiny = format!(".{}1", "0".repeat(400));
        let many_zeros = format!("-0000000000000000000000000.{}", "0".repeat(40));
        for s in [
            "0",
            "-0",
            "+0",
            "-0.0",
            "-.0",
            "0.1",
            "0.3",
            "-0.000001",
            "9007199254740991",
            "9007199254740992",
            "9007199254740993", // 2^53 + 1: not exact, the slow path rounds it
            "9999999999999999999",
            "18446744073709551615",
            "123456789012345678901234567890",
            "1.7976931348623157",
            "0.00000000000000000000001", // scale 23
            "0.0000000000000000000001",  // scale 22
            "1.0000000000000000000000",  // trailing zeros past 19 digits
            "4.9406564584124654e",       // stops at the letter
            "2.2250738585072011",
            "0.1000000000000000055511151231257827",
            &long_int,
            &tiny,
            &many_zeros,
        ] {
            check(s, 0);
            check(&format!("X{s}Y"), 1);
        }
    }

    #[test]
    fn every_short_string_matches_the_previous_parser() {
        // All strings of up to 5 bytes over a sign, point, digits and a letter.
        const ALPHABET: &[u8] = b"-+.0159X";
        let mut s = Vec::new();
        fn walk(s: &mut Vec<u8>, depth: usize) {
            let text = std::str::from_utf8(s).unwrap_or_default();
            check(text, 0);
            if depth == 0 {
                return;
            }
            for &c in ALPHABET {
                s.push(c);
                walk(s, depth - 1);
                s.pop();
            }
        }
        walk(&mut s, 5);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn random_numbers_match_the_previous_parser(
            s in "[+-]?0{0,4}[0-9]{0,24}\\.?0{0,24}[0-9]{0,24}[XYS.+-]?",
        ) {
            check(&s, 0);
        }

        #[test]
        fn numbers_inside_lines_match_the_previous_parser(
            int in "[0-9]{0,8}",
            frac in "[0-9]{0,8}",
            neg in any::<bool>(),
        ) {
            let sign = if neg { "-" } else { "" };
            check(&format!("G1X{sign}{int}.{frac}S300"), 3);
        }
    }
}
