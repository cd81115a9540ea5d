fn main() {
    std::process::exit(sealant::cli::main());
}
