//! Ordet's build helper, run as `cargo xtask <command>` (the alias is in `.cargo/config.toml`):
//!
//! - `start [demo] [options]`: installs what is missing, builds the browser app and the server
//!   in release mode, and starts Ordet (options go to `ordet serve`, e.g. `--addr
//!   0.0.0.0:9000`; with `demo`, to `ordet demo`, which first adds an example plan).
//! - `test`: installs what is missing (the wasm target, Chromium and ChromeDriver, LibreOffice
//!   to open the exported documents), checks
//!   formatting and lints, builds everything, and runs every test. CI runs exactly this.
//! - `web`: builds only the browser app into `client/dist`, as two bundles: the whole app
//!   (`index.html`) and the phone's (`phone.html`, the client's `phone` feature).
//!
//! The browser app is turned into web assets with `wasm-bindgen-cli-support` used as a
//! library (pinned to the client's exact `wasm-bindgen` version), so no tool is downloaded
//! at build time. Asset names carry a content hash (cached forever by browsers); each file
//! is pre-compressed with gzip and brotli so the server never compresses at run time. Those
//! steps are kept by the wasm's hash in `target/ordet-web`, and `client/dist` is only written
//! where a file changed, so starting again with an unchanged app takes seconds.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::{env, fs};

use sha2::{Digest, Sha256};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The accessibility checker the browser tests inject into every screen (from npm, pinned).
const AXE: &str = "axe-core@4.14.1";
/// Cargo arguments that select the browser app's builds: the client, for wasm.
const CLIENT: [&str; 4] = ["-p", "ordet-client", "--target", WASM_TARGET];

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("start") => start(&args[1..]),
        Some("test") => test(),
        Some("web") => build_web().map(|_| ()),
        _ => {
            eprintln!("usage: cargo xtask start [demo] [ordet serve options] | test | web");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn cargo() -> Command {
    let mut command = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root());
    command
}

fn run(command: &mut Command) -> Result<()> {
    eprintln!("xtask: running {command:?}");
    let status = command.status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed with {status}").into())
    }
}

fn start(serve_args: &[String]) -> Result<()> {
    ensure_wasm_target()?;
    build_web()?;
    run(cargo().args(["build", "--release", "-p", "ordet-server"]))?;
    let binary = target_dir().join("release").join("ordet");
    // `cargo xtask start demo ...` runs `ordet demo ...`: the server with an example plan.
    let (command, options) = match serve_args.split_first() {
        Some((first, rest)) if first == "demo" => ("demo", rest),
        _ => ("serve", serve_args),
    };
    let mut server = Command::new(binary);
    server.arg(command).args(options).current_dir(root());
    exec(server)
}

#[cfg(unix)]
fn exec(mut command: Command) -> Result<()> {
    use std::os::unix::process::CommandExt;
    // Replace this process, so Ctrl+C and signals go straight to the server.
    Err(command.exec().into())
}

#[cfg(not(unix))]
fn exec(mut command: Command) -> Result<()> {
    run(&mut command)
}

fn test() -> Result<()> {
    ensure_wasm_target()?;
    ensure_system_packages()?;
    let axe = ensure_axe()?;
    run(cargo().args(["fmt", "--all", "--check"]))?;
    build_web()?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--exclude",
        "ordet-client",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    for bundle in &BUNDLES {
        run(bundle.cargo("clippy").args(["--", "-D", "warnings"]))?;
    }
    run(cargo().args(["build", "-p", "ordet-server", "--bin", "ordet"]))?;
    let binary = target_dir().join("debug").join("ordet");
    run(cargo()
        .args(["test", "--workspace", "--exclude", "ordet-client"])
        .env("ORDET_BIN", binary)
        .env("ORDET_CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("ORDET_CHROMIUM", "/usr/bin/chromium")
        .env("ORDET_AXE", axe)
        .env("ORDET_SOFFICE", "/usr/bin/soffice"))
}

/// Adds the wasm32 target with rustup if it is missing (`RUSTUP_AUTO_INSTALL=0` means a
/// toolchain file alone would not).
fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|l| l.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// What the tests run besides Ordet, as (program, Debian packages that bring it): Chromium
/// and ChromeDriver (same version) for the browser tests, LibreOffice (without its desktop
/// parts) to open the exported DOCX, with a font metric-compatible with Calibri.
const SYSTEM_PACKAGES: &[(&str, &[&str])] = &[
    ("/usr/bin/chromium", &["chromium", "fonts-dejavu-core"]),
    ("/usr/bin/chromedriver", &["chromium-driver"]),
    (
        "/usr/bin/soffice",
        &["libreoffice-writer-nogui", "fonts-crosextra-carlito"],
    ),
];

/// Installs with apt-get whichever of [`SYSTEM_PACKAGES`] is missing, non-interactively.
fn ensure_system_packages() -> Result<()> {
    let missing: Vec<&str> = SYSTEM_PACKAGES
        .iter()
        .filter(|(program, _)| !Path::new(program).exists())
        .flat_map(|(_, packages)| packages.iter().copied())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let apt = |args: &[&str]| {
        let mut command = if root_user {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut command)
    };
    apt(&["update"])?;
    let mut install = vec!["install", "-y", "--no-install-recommends"];
    install.extend(missing);
    apt(&install)
}

/// Installs axe-core from npm into `target/axe` if it is not there; returns `axe.min.js`.
fn ensure_axe() -> Result<PathBuf> {
    let prefix = target_dir().join("axe");
    let script = prefix.join("node_modules/axe-core/axe.min.js");
    if !script.exists() {
        fs::create_dir_all(&prefix)?;
        run(Command::new("npm")
            .args([
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
            ])
            .arg(&prefix)
            .arg(AXE))?;
    }
    Ok(script)
}

/// The browser app's bundles: the whole app, and the phone's (the client's `phone` feature:
/// only joining and the phone view, sent for `/j` paths). Each gets its own HTML page.
const BUNDLES: [Bundle; 2] = [
    Bundle {
        name: "whole app",
        page: "index.html",
        features: None,
        profile: "wasm-release",
    },
    Bundle {
        name: "phone",
        page: "phone.html",
        features: Some("phone"),
        profile: "wasm-phone",
    },
];

struct Bundle {
    name: &'static str,
    page: &'static str,
    features: Option<&'static str>,
    /// Each bundle has a profile of its own (with the same settings), so that cargo keeps
    /// both builds instead of rebuilding one over the other.
    profile: &'static str,
}

impl Bundle {
    /// `cargo <command>` for this bundle's build of the client.
    fn cargo(&self, command: &str) -> Command {
        let mut cargo = cargo();
        cargo
            .arg(command)
            .args(CLIENT)
            .args(["--profile", self.profile]);
        if let Some(features) = self.features {
            cargo.args(["--features", features]);
        }
        cargo
    }
}

/// Builds the browser app into `client/dist` and returns that folder.
fn build_web() -> Result<PathBuf> {
    ensure_wasm_target()?;
    // Built in a folder of its own, then copied over `client/dist` file by file where
    // something changed: the server embeds `client/dist` and is rebuilt when a file there
    // is touched, which an unchanged app should not cause.
    let dist = root().join("client").join("dist");
    let building = target_dir().join("ordet-dist");
    let assets = building.join("assets");
    let _ = fs::remove_dir_all(&building);
    fs::create_dir_all(&assets)?;
    let css = fs::read(root().join("client/style/ordet.css"))?;
    let css_name = format!("ordet-{}.css", short_hash(&css));
    fs::write(assets.join(&css_name), &css)?;
    let (_, css_brotli) = compress(&assets.join(&css_name))?;
    for bundle in &BUNDLES {
        let (js, boot, brotli) = build_bundle(bundle, &assets)?;
        let page = building.join(bundle.page);
        fs::write(&page, index_html(&css_name, &js, &boot))?;
        compress(&page)?;
        eprintln!(
            "xtask: {} built in {}: {} bytes brotli (wasm + js + css)",
            bundle.name,
            dist.display(),
            brotli + css_brotli
        );
    }
    sync(&building, &dist)?;
    Ok(dist)
}

/// Makes `to` hold exactly the files of `from`, writing only those whose content differs.
fn sync(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(to)? {
        let path = entry?.path();
        let source = from.join(path.file_name().expect("a file name"));
        if !source.exists() {
            if path.is_dir() {
                fs::remove_dir_all(&path)?;
            } else {
                fs::remove_file(&path)?;
            }
        }
    }
    for entry in fs::read_dir(from)? {
        let source = entry?.path();
        let target = to.join(source.file_name().expect("a file name"));
        if source.is_dir() {
            sync(&source, &target)?;
        } else {
            let bytes = fs::read(&source)?;
            if fs::read(&target).ok().as_deref() != Some(bytes.as_slice()) {
                fs::write(&target, bytes)?;
            }
        }
    }
    Ok(())
}

/// Builds one bundle's wasm and JavaScript into `assets`, compressed; returns the names of
/// its JavaScript module and loader, and their brotli size.
fn build_bundle(bundle: &Bundle, assets: &Path) -> Result<(String, String, usize)> {
    run(&mut bundle.cargo("build"))?;
    let wasm = target_dir()
        .join(WASM_TARGET)
        .join(bundle.profile)
        .join("ordet_client.wasm");
    let name = format!("ordet-{}", short_hash(&fs::read(&wasm)?));
    let js = format!("{name}.js");
    let wasm_out = format!("{name}_bg.wasm");

    // wasm-bindgen and the strongest compression take a minute or more; their results are
    // kept by the wasm's hash, so starting again with an unchanged app skips them. (After
    // changing these steps, delete `target/ordet-web`.)
    let done = target_dir().join("ordet-web").join(&name);
    if !done.join(format!("{wasm_out}.br")).is_file() {
        let staging = target_dir().join("ordet-web-staging");
        let _ = fs::remove_dir_all(&staging);
        fs::create_dir_all(&staging)?;
        let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
        bindgen
            .input_path(&wasm)
            .web(true)?
            .typescript(false)
            .remove_name_section(true)
            .remove_producers_section(true)
            .out_name(&name);
        bindgen.generate(&staging)?;
        for file in [&js, &wasm_out] {
            compress(&staging.join(file))?;
        }
        let _ = fs::remove_dir_all(&done);
        fs::create_dir_all(done.parent().expect("inside the target folder"))?;
        fs::rename(&staging, &done)?;
    }
    let mut brotli_total = 0;
    for file in [&js, &wasm_out] {
        for suffix in ["", ".gz", ".br"] {
            let file = format!("{file}{suffix}");
            fs::copy(done.join(&file), assets.join(&file))?;
        }
        brotli_total += fs::metadata(done.join(format!("{file}.br")))?.len() as usize;
    }
    let boot = format!(
        "import init from './{js}';\ninit({{ module_or_path: new URL('./{wasm_out}', import.meta.url) }});\n"
    );
    let boot_name = format!("boot-{}.js", short_hash(boot.as_bytes()));
    fs::write(assets.join(&boot_name), boot)?;
    brotli_total += compress(&assets.join(&boot_name))?.1;
    Ok((js, boot_name, brotli_total))
}

fn index_html(css: &str, js: &str, boot: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Ordet</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/{css}">
<link rel="modulepreload" href="/assets/{js}">
<script type="module" src="/assets/{boot}"></script>
</head>
<body>
<noscript><main><h1>Ordet</h1>
<p lang="nn">Ordet treng JavaScript. Slå det på i nettlesaren.</p>
<p lang="nb">Ordet trenger JavaScript. Slå det på i nettleseren.</p>
<p lang="en">Ordet needs JavaScript. Turn it on in your browser.</p>
</main></noscript>
</body>
</html>
"#
    )
}

/// Writes `file.gz` and `file.br` beside `file`; returns (raw, brotli) sizes.
fn compress(file: &Path) -> Result<(usize, usize)> {
    let raw = fs::read(file)?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&raw)?;
    fs::write(with_suffix(file, "gz"), gzip.finish()?)?;
    let mut brotli = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut raw.as_slice(), &mut brotli, &params)?;
    fs::write(with_suffix(file, "br"), &brotli)?;
    Ok((raw.len(), brotli.len()))
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(5)
        .map(|b| format!("{b:02x}"))
        .collect()
}
