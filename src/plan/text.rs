//! The text report of `satkit plan`: the inputs with where each came from, n0 and n, the
//! sample and invitations, and a table of the strata (aligned by display width, so CJK stratum
//! names line up). Plain text, nothing terminal-specific.

use super::compute::PlanReport;
use super::input::Allocation;
use crate::report::text;

fn pct(x: f64) -> String {
    let s = format!("{:.2}", 100.0 * x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// The plan as a text table: the inputs with their sources, the formula steps, and the strata.
pub fn render_text(r: &PlanReport) -> String {
    let src = |k: &str| {
        r.sources
            .get(k)
            .map(|s| format!("  ({})", s.label()))
            .unwrap_or_default()
    };
    let mut out = String::from(
        "Sample size for a proportion (Cochran; finite population correction when N is known)\n",
    );
    match r.population {
        Some(n) => out.push_str(&format!(
            "  population N          {n}{}\n",
            src("population")
        )),
        None => out.push_str("  population N          very large (no correction)\n"),
    }
    out.push_str(&format!(
        "  margin of error e     ±{}{}\n",
        pct(r.margin),
        src("margin")
    ));
    out.push_str(&format!(
        "  confidence            {} (z = {:.3}){}\n",
        pct(r.confidence),
        r.z,
        src("confidence")
    ));
    out.push_str(&format!(
        "  proportion p          {}{}\n",
        r.proportion,
        src("proportion")
    ));
    out.push_str(&format!("  n0 = z²p(1−p)/e²      {:.2}\n", r.n0));
    if r.population.is_some() {
        out.push_str(&format!("  n = n0/(1+(n0−1)/N)   {:.2}\n", r.n_exact));
    }
    out.push_str(&format!("  completed sample      {}\n", r.sample_size));
    if let (Some(rate), Some(inv)) = (r.response_rate, r.invitations) {
        out.push_str(&format!(
            "  response rate         {}{}\n",
            pct(rate),
            src("response_rate")
        ));
        out.push_str(&format!("  invitations to send   {inv}\n"));
    }
    if !r.strata.is_empty() {
        let alloc = match r.allocation {
            Some(Allocation::Equal) => "equal",
            _ => "proportional",
        };
        let w = r
            .strata
            .iter()
            .map(|s| text::display_width(&s.name))
            .max()
            .unwrap_or(7)
            .max(7);
        out.push_str(&format!("\n{alloc} allocation:\n"));
        out.push_str(&format!(
            "  {}  {:>10}  {:>7}",
            text::pad_right("stratum", w),
            "population",
            "sample"
        ));
        out.push_str(if r.response_rate.is_some() {
            "  invitations\n"
        } else {
            "\n"
        });
        for s in &r.strata {
            out.push_str(&format!(
                "  {}  {:>10}  {:>7}",
                text::pad_right(&s.name, w),
                s.population,
                s.sample
            ));
            match s.invitations {
                Some(i) => out.push_str(&format!("  {i:>11}\n")),
                None => out.push('\n'),
            }
        }
        let total_inv: Option<u64> = r.strata.iter().map(|s| s.invitations).sum();
        out.push_str(&format!(
            "  {}  {:>10}  {:>7}",
            text::pad_right("total", w),
            r.strata.iter().map(|s| s.population).sum::<u64>(),
            r.strata.iter().map(|s| s.sample).sum::<u64>()
        ));
        match total_inv {
            Some(i) => out.push_str(&format!("  {i:>11}\n")),
            None => out.push('\n'),
        }
    }
    out
}
