//! `satkit completions SHELL`: a completion script generated from the clap definition, so it
//! never falls behind the real flags.

use clap::ValueEnum;
use clap_complete::Shell;

use super::output::print_stdout;
use crate::error::Result;

const EXAMPLES: &str = "\
Examples:
  satkit completions bash > ~/.local/share/bash-completion/completions/satkit
  satkit completions zsh > ~/.zfunc/_satkit
  satkit completions fish > ~/.config/fish/completions/satkit.fish
  satkit completions powershell >> $PROFILE";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: ShellArg,
}

/// `root` is the whole command line (`Cli::command()`), passed in by the dispatcher.
pub fn run(args: Args, mut root: clap::Command) -> Result<i32> {
    let shell = match args.shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Powershell => Shell::PowerShell,
    };
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut root, "satkit", &mut buf);
    print_stdout(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}
