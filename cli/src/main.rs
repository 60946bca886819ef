//! The `carrier-quota` command. Its subcommands live in the library of
//! this crate, one module each.

fn main() -> std::process::ExitCode {
    carrier_quota_cli::main()
}
