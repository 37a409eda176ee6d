fn main() -> std::process::ExitCode {
    rcs_composer::cli::run()
}
