//! The `satkit` binary: parse arguments, dispatch, map the error to an exit code.

use clap::Parser;

fn main() {
    let cli = satkit::cli::Cli::parse();
    let code = match satkit::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
