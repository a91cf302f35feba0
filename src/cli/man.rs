//! `satkit man [-o DIR]`: man pages generated from the clap definition with clap_mangen.
//!
//! Without `-o` the page of `satkit` itself goes to stdout; with `-o DIR`, DIR gets satkit.1 and
//! one page per subcommand (satkit-analyze.1, ...). Every page has an EXIT STATUS section taken
//! from the "Exit status:" block of the root `--help` ([`super::output::AFTER_HELP`]), so the two never
//! disagree, and an EXAMPLES section from the command's own `--help` examples.

use std::path::{Path, PathBuf};

use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use super::output::{AFTER_HELP, print_stdout};
use crate::error::{Error, Result};
use crate::output::write_atomic;

const EXAMPLES: &str = "\
Examples:
  satkit man | man -l -
  satkit man -o /usr/local/share/man/man1
  satkit man -o target/man && man -l target/man/satkit-analyze.1";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Directory for satkit.1 and one page per subcommand; without it, satkit.1 goes to stdout.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// The after-help text split into its blocks: (heading, lines), where a heading is a line that
/// ends with ':' and is not indented; text before any heading has an empty heading.
fn blocks(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        let heading = !line.starts_with(' ') && line.ends_with(':') && !line.contains("  ");
        if heading {
            out.push((line.trim_end_matches(':').to_string(), Vec::new()));
        } else {
            if out.is_empty() {
                out.push((String::new(), Vec::new()));
            }
            if let Some(last) = out.last_mut() {
                last.1.push(line.to_string());
            }
        }
    }
    for b in &mut out {
        while b.1.last().is_some_and(|l| l.trim().is_empty()) {
            b.1.pop();
        }
    }
    out
}

fn verbatim(roff: &mut Roff, lines: &[String]) {
    roff.control("nf", []);
    for l in lines {
        roff.text([roman(l.trim_start())]);
    }
    roff.control("fi", []);
}

/// One man page: clap_mangen's sections, then EXIT STATUS, EXAMPLES and NOTES.
fn render(cmd: clap::Command, name: &str) -> std::io::Result<Vec<u8>> {
    let after = cmd
        .get_after_help()
        .map(|s| s.to_string())
        .unwrap_or_default();
    // clap keeps names as `&'static str`; a man run renders a handful of pages, then exits.
    let name: &'static str = Box::leak(name.to_string().into_boxed_str());
    let cmd = cmd.name(name);
    let has_args = cmd.get_arguments().any(|a| !a.is_hide_set());
    let has_subcommands = cmd.get_subcommands().any(|s| !s.is_hide_set());
    let man = Man::new(cmd);
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if has_args {
        man.render_options_section(&mut out)?;
    }
    if has_subcommands {
        man.render_subcommands_section(&mut out)?;
    }
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (heading, lines) in blocks(AFTER_HELP) {
        if heading == "Exit status" {
            for l in lines.iter().filter(|l| !l.trim().is_empty()) {
                let t = l.trim_start();
                match t.split_once("  ") {
                    Some((code, what)) if code.chars().all(|c| c.is_ascii_digit()) => {
                        roff.control("TP", []);
                        roff.text([bold(code)]);
                        roff.text([roman(what.trim())]);
                    }
                    _ => {
                        roff.text([roman(t)]);
                    }
                }
            }
        }
    }
    let mut notes = Vec::new();
    for (heading, lines) in blocks(&after) {
        match heading.as_str() {
            "Examples" => {
                roff.control("SH", ["EXAMPLES"]);
                verbatim(&mut roff, &lines);
            }
            // The root page already has its EXIT STATUS section.
            "Exit status" => {}
            _ => notes.extend(lines),
        }
    }
    while notes.first().is_some_and(|l| l.trim().is_empty()) {
        notes.remove(0);
    }
    if !notes.is_empty() {
        roff.control("SH", ["NOTES"]);
        for para in notes.split(|l| l.trim().is_empty()) {
            if !para.is_empty() {
                roff.control("PP", []);
                roff.text([roman(para.join(" "))]);
            }
        }
    }
    roff.to_writer(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(out)
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// `root` is the whole command line (`Cli::command()`), passed in by the dispatcher.
pub fn run(args: Args, root: clap::Command) -> Result<i32> {
    let mut root = root.disable_help_subcommand(true);
    root.build();
    match &args.output {
        None => {
            let page = render(root, "satkit").map_err(io_err(Path::new("-")))?;
            print_stdout(&String::from_utf8_lossy(&page))?;
        }
        Some(dir) => {
            let path = dir.join("satkit.1");
            let page = render(root.clone(), "satkit").map_err(io_err(&path))?;
            write_atomic(&path, &page)?;
            for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
                let name = format!("satkit-{}", sub.get_name());
                let path = dir.join(format!("{name}.1"));
                let sub = sub.clone().version(env!("CARGO_PKG_VERSION"));
                let page = render(sub, &name).map_err(io_err(&path))?;
                write_atomic(&path, &page)?;
            }
            crate::errln!("man pages written to {}", dir.display());
        }
    }
    Ok(0)
}
