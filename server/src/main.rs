//! The `ordet` binary; see [`ordet_server::cli`].

fn main() -> std::process::ExitCode {
    ordet_server::cli::main()
}
