//! The `vexil` binary: a shim over [`vexil::cli`].

fn main() -> std::process::ExitCode {
    vexil::cli::main()
}
