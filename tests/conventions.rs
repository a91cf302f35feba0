//! Command-line conventions (issue 8): examples in every --help, documented exit statuses in
//! --help and the man pages, shell completions, no colour, and a quiet exit on a closed pipe.

use std::process::{Command, Stdio};

use clap::CommandFactory;
use satkit::cli::Cli;

use crate::util::*;

fn subcommands() -> Vec<clap::Command> {
    Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .cloned()
        .collect()
}

/// The lines of the "Examples:" block of a help text (indented lines up to the next blank line).
fn examples(help: &str) -> Vec<String> {
    let mut lines = help.lines().skip_while(|l| l.trim_end() != "Examples:");
    assert!(lines.next().is_some(), "no Examples: block in\n{help}");
    lines
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect()
}

/// Long options of a command, with the ones clap adds.
fn long_flags(cmd: &clap::Command) -> Vec<String> {
    let mut v: Vec<String> = cmd
        .get_arguments()
        .filter_map(|a| a.get_long().map(str::to_string))
        .collect();
    v.extend(["help".to_string(), "version".to_string()]);
    v
}

#[test]
fn every_subcommand_help_has_two_to_four_real_examples() {
    let w = Work::new();
    for sub in subcommands() {
        let name = sub.get_name().to_string();
        let r = w.run(&[&name, "--help"]);
        r.ok();
        let ex = examples(&r.stdout);
        assert!(
            (2..=4).contains(&ex.len()),
            "`satkit {name} --help` has {} examples:\n{}",
            ex.len(),
            ex.join("\n")
        );
        let flags = long_flags(&sub);
        for e in &ex {
            // The call may follow an environment assignment or a pipe (`cat x | satkit import ...`).
            let call = format!("satkit {name} ");
            let at = e.find(&call).unwrap_or_else(|| {
                panic!("`satkit {name}` example does not run `satkit {name}`: {e}")
            });
            let e = &e[at..];
            // Every --flag of the satkit part (before any pipe) is a real option.
            let own = e
                .split(['|', '>'])
                .next()
                .unwrap()
                .split("&&")
                .next()
                .unwrap();
            for tok in own.split_whitespace().filter(|t| t.starts_with("--")) {
                let flag = tok.trim_start_matches("--").split('=').next().unwrap();
                assert!(
                    flags.iter().any(|f| f == flag),
                    "`satkit {name}` example uses unknown option --{flag}: {e}"
                );
            }
        }
    }
}

#[test]
fn root_help_documents_exit_statuses_and_examples() {
    let w = Work::new();
    let r = w.run(&["--help"]);
    r.ok()
        .stdout_has("Exit status:\n  0  success\n  1  ")
        .stdout_has("\n  2  bad input or usage");
    let ex = examples(&r.stdout);
    assert!((2..=4).contains(&ex.len()), "{ex:?}");
    for sub in ["batch", "compare", "completions", "man"] {
        r.stdout_has(&format!("  {sub} "));
    }
}

#[test]
fn completions_are_generated_for_every_shell() {
    let w = Work::new();
    for (shell, marker) in [
        ("bash", "complete -F _satkit"),
        ("zsh", "#compdef satkit"),
        ("fish", "complete -c satkit"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let r = w.run(&["completions", shell]);
        r.ok()
            .stdout_has(marker)
            .stdout_has("batch")
            .stdout_has("fail-under");
    }
    w.run(&["completions", "tcsh"]).code(2);
}

#[test]
fn man_pages_document_the_exit_statuses() {
    let w = Work::new();
    let r = w.run(&["man"]);
    r.ok()
        .stdout_has(".TH satkit 1")
        .stdout_has(".SH \"EXIT STATUS\"")
        .stdout_has(".SH EXAMPLES");
    for code in ["0", "1", "2"] {
        r.stdout_has(&format!(".TP\n\\fB{code}\\fR\n"));
    }
    w.run(&["man", "-o", "man1"]).ok();
    let mut pages: Vec<String> = std::fs::read_dir(w.path("man1"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    let mut want: Vec<String> = subcommands()
        .iter()
        .map(|c| format!("satkit-{}.1", c.get_name()))
        .collect();
    want.push("satkit.1".into());
    want.sort();
    assert_eq!(pages, want);
    for p in &pages {
        let text = w.read(&format!("man1/{p}"));
        assert!(text.contains(".SH \"EXIT STATUS\""), "{p}");
        assert!(text.contains(".SH EXAMPLES"), "{p}");
    }
    let batch = w.read("man1/satkit-batch.1");
    assert!(batch.contains(".TH satkit-batch 1"), "{batch}");
    assert!(batch.contains("satkit batch surveys/batch.toml"));
}

/// Run satkit with the given environment and no NO_COLOR default.
fn run_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_satkit"));
    cmd.args(args)
        .current_dir(repo())
        .env_remove("NO_COLOR")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn no_colour_is_printed_and_no_color_wins_over_forcing() {
    let b2b = "surveys/b2b-platform/survey.toml";
    for env in [
        vec![("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
        vec![("TERM", "xterm-256color")],
    ] {
        for args in [
            vec!["--help"],
            vec!["batch", "--help"],
            vec!["compare", "--help"],
            vec!["check", b2b],
            vec!["compare", "nowhere.json", "nowhere2.json"],
            vec!["batch", "nowhere.toml"],
            vec!["analyze", "--fail-under"],
        ] {
            let (_, text) = run_env(&args, &env);
            assert!(
                !text.contains('\u{1b}'),
                "escape sequence in `satkit {}` with {env:?}:\n{text}",
                args.join(" ")
            );
        }
    }
}

/// Run satkit with its stdout closed before it writes: it must exit 0 without a panic message.
fn closed_stdout(args: &[&str]) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_satkit"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "`satkit {}` with a closed stdout:\n{stderr}",
        args.join(" ")
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "`satkit {}`: {stderr}",
        args.join(" ")
    );
}

#[test]
fn a_broken_pipe_exits_quietly() {
    let b2b = "surveys/b2b-platform/survey.toml";
    closed_stdout(&["check", b2b]);
    closed_stdout(&["check", b2b, "--format", "json"]);
    closed_stdout(&["build", b2b, "--to", "markdown", "-o", "-"]);
    closed_stdout(&["lint", "--list-rules"]);
    closed_stdout(&["completions", "bash"]);
    closed_stdout(&["man"]);
    closed_stdout(&["--help"]);
    closed_stdout(&["analyze", "--help"]);
}
