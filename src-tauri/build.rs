fn main() {
    // tauri.conf.json sits at the repository root; capabilities live under src-tauri/.
    if let Err(e) = tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"),
    ) {
        panic!("tauri build step failed: {e:#}");
    }
}
