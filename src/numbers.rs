//! Numbers as text, the same way in every output: fixed decimals that never show `-0.0`, and
//! the short form messages use (integers without a decimal point).

/// `v` with `decimals` fixed decimals; a negative value that rounds to zero is written without
/// its sign (`0.0`, not `-0.0`).
pub fn fixed(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A number for messages: integers without a decimal point, others with up to 6 significant
/// decimals.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_rounds_and_drops_a_negative_zero() {
        assert_eq!(fixed(1.25, 1), "1.2");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(-0.06, 1), "-0.1");
        assert_eq!(fixed(2.0, 0), "2");
    }

    #[test]
    fn fmt_num_writes_integers_plainly() {
        assert_eq!(fmt_num(60.0), "60");
        assert_eq!(fmt_num(0.7), "0.7");
        assert_eq!(fmt_num(1.0 / 3.0), "0.333333");
    }
}
