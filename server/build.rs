//! Embeds the built browser app (`client/dist`, made by `cargo xtask`) into the server
//! binary, so Ordet is one file to copy and run. Each file is embedded raw and, where the
//! build helper made them, pre-compressed as gzip and brotli. If the app has not been built,
//! the server still builds and explains on its start page how to build the app.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dist = env::var_os("ORDET_WEB_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../client/dist"));
    println!("cargo:rerun-if-env-changed=ORDET_WEB_DIST");
    println!("cargo:rerun-if-changed={}", dist.display());

    let mut files = Vec::new();
    if dist.is_dir() {
        collect(&dist, &dist, &mut files);
    }
    files.sort();
    let mut code = String::from(
        "/// The browser app's files, embedded at build time.\npub static ASSETS: &[Asset] = &[\n",
    );
    for relative in &files {
        let full = dist.join(relative);
        println!("cargo:rerun-if-changed={}", full.display());
        let url = format!("/{}", relative.replace('\\', "/"));
        let compressed = |ext: &str| {
            let path = dist.join(format!("{relative}.{ext}"));
            if path.is_file() {
                format!("Some(include_bytes!({:?}))", path.display().to_string())
            } else {
                "None".to_string()
            }
        };
        let bytes = fs::read(&full).expect("readable asset");
        writeln!(
            code,
            "    Asset {{ path: {url:?}, content_type: {:?}, etag: \"\\\"{:016x}\\\"\", immutable: {}, raw: include_bytes!({:?}), gzip: {}, brotli: {} }},",
            content_type(relative),
            fnv1a(&bytes),
            url.starts_with("/assets/"),
            full.display().to_string(),
            compressed("gz"),
            compressed("br"),
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    writeln!(
        code,
        "/// Whether the browser app was built into this binary.\npub const WEB_APP_BUILT: bool = {};",
        files.iter().any(|f| f == "index.html")
    )
    .expect("write to string");
    let out = PathBuf::from(env::var("OUT_DIR").expect("set by cargo")).join("web_assets.rs");
    fs::write(out, code).expect("write generated code");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    for entry in fs::read_dir(dir).expect("readable dist folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("gz" | "br")) {
            let relative = path.strip_prefix(root).expect("inside root");
            files.push(relative.to_string_lossy().into_owned());
        }
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json" | "webmanifest") => "application/manifest+json",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A small stable hash for ETags (FNV-1a, 64 bit).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
