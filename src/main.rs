//! The `satkit` binary: parse arguments, dispatch, map the error to an exit code.

use clap::Parser;

#[global_allocator]
static ALLOCATOR: satkit::alloc::Allocator = satkit::alloc::Allocator;

fn main() {
    let cli = satkit::cli::Cli::parse();
    let code = match satkit::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            satkit::errln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
