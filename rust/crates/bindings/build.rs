//! Compiles `contracts/` with the repository's pinned solc (`tools/solc`, npm's emscripten build)
//! through foundry-compilers, with the settings of `foundry.toml`, and generates one alloy `sol!`
//! module per contract, library and interface it finds. New contracts get bindings without any
//! edit here.
//!
//! Artifacts and the compiler cache live in `<target>/ccip-solc/` so that `cargo build`,
//! `cargo test` and `cargo clippy` share one cached compile; a file lock serialises concurrent
//! build scripts. Trimmed artifacts (abi and bytecode only) are copied into `OUT_DIR`, which is
//! what the bindings read.

use std::{
    collections::{BTreeMap, BTreeSet},
    error::Error,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
};

use foundry_compilers::{
    ConfigurableArtifacts, Project, ProjectBuilder, ProjectPathsConfig,
    artifacts::{
        BytecodeHash, EvmVersion, Optimizer, Settings, SettingsMetadata, remappings::Remapping,
    },
    solc::{Solc, SolcCompiler, SolcLanguage, SolcSettings},
};
use serde_json::{Value, json};

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

/// One binding to generate.
struct Binding {
    contract: String,
    source: PathBuf,
    module: String,
    json_path: PathBuf,
    kind: &'static str,
}

fn main() {
    if let Err(err) = run() {
        eprintln!("error: ccip-bindings build script: {err}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let root = manifest_dir.join("../../..").canonicalize()?;
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    for watched in [
        "contracts",
        "tools/solc",
        "tools/solc.js",
        "foundry.toml",
        "package-lock.json",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }

    if !root.join("node_modules/solc/package.json").is_file() {
        return Err(format!(
            "node_modules/solc is missing in {}: run `npm ci` at the repository root \
             (it installs the pinned solc that tools/solc runs)",
            root.display()
        )
        .into());
    }

    let work_dir = shared_work_dir(&out_dir);
    fs::create_dir_all(&work_dir)?;
    let lock = fs::File::create(work_dir.join(".lock"))?;
    lock.lock()?;
    let bindings = compile(&root, &work_dir, &out_dir)?;
    drop(lock);

    write_if_changed(&out_dir.join("bindings.rs"), &render(&bindings))?;
    Ok(())
}

/// `<target>/ccip-solc` when OUT_DIR has the usual `<target>/<profile>/build/<pkg>/out` shape,
/// OUT_DIR itself otherwise.
fn shared_work_dir(out_dir: &Path) -> PathBuf {
    let mut ancestors = out_dir.ancestors();
    let build = ancestors.nth(2);
    match (build, ancestors.nth(1)) {
        (Some(build), Some(target)) if build.file_name().is_some_and(|n| n == "build") => {
            target.join("ccip-solc")
        }
        _ => out_dir.join("ccip-solc"),
    }
}

/// The `remappings = [...]` of foundry.toml's default profile, so that both builds resolve
/// imports the same way.
fn foundry_remappings(root: &Path) -> Result<Vec<Remapping>> {
    let toml = fs::read_to_string(root.join("foundry.toml"))?;
    let start = toml
        .find("remappings = [")
        .ok_or("foundry.toml has no `remappings = [`")?;
    let rest = &toml[start + "remappings = [".len()..];
    let end = rest
        .find(']')
        .ok_or("foundry.toml: unterminated remappings")?;
    rest[..end]
        .split(',')
        .map(|item| item.trim().trim_matches('"'))
        .filter(|item| !item.is_empty())
        .map(|item| {
            // Relative targets are relative to the project root, as in forge.
            let remapping: Remapping =
                item.parse().map_err(|e| format!("remapping {item}: {e}"))?;
            Ok(Remapping {
                path: root.join(&remapping.path).display().to_string(),
                ..remapping
            })
        })
        .collect()
}

fn settings(remappings: Vec<Remapping>) -> SolcSettings {
    // foundry.toml: evm_version prague, optimizer 20000 runs, no via_ir, no metadata hash or CBOR,
    // so the bytecode equals forge's.
    let mut settings = Settings {
        evm_version: Some(EvmVersion::Prague),
        optimizer: Optimizer {
            enabled: Some(true),
            runs: Some(20_000),
            details: None,
        },
        via_ir: Some(false),
        metadata: Some(SettingsMetadata {
            use_literal_content: None,
            bytecode_hash: Some(BytecodeHash::None),
            cbor_metadata: Some(false),
        }),
        ..Default::default()
    };
    settings.remappings = remappings;
    SolcSettings {
        settings,
        ..Default::default()
    }
}

fn compile(root: &Path, work_dir: &Path, out_dir: &Path) -> Result<Vec<Binding>> {
    let remappings = foundry_remappings(root)?;
    // Only contracts/: tests and scripts point at an empty directory.
    let empty = work_dir.join("empty");
    fs::create_dir_all(&empty)?;
    let paths: ProjectPathsConfig<SolcLanguage> = ProjectPathsConfig::builder()
        .sources(root.join("contracts"))
        .tests(&empty)
        .scripts(&empty)
        .artifacts(work_dir.join("out"))
        .cache(work_dir.join("cache/solidity-files-cache.json"))
        .build_infos(work_dir.join("out/build-info"))
        .libs([root.join("node_modules")])
        .remappings(remappings.clone())
        .build_with_root(root);

    let solc = Solc::new(root.join("tools/solc"))
        .map_err(|e| format!("tools/solc does not run (is Node.js installed?): {e}"))?;
    let project: Project<SolcCompiler, ConfigurableArtifacts> =
        ProjectBuilder::<SolcCompiler, ConfigurableArtifacts>::new(Default::default())
            .paths(paths)
            .settings(settings(remappings))
            .offline()
            .build(SolcCompiler::Specific(solc))?;
    let output = project.compile()?;
    if output.has_compiler_errors() {
        return Err(format!("solc failed:\n{output}").into());
    }

    let contracts_dir = root.join("contracts");
    let abi_dir = out_dir.join("abi");
    fs::create_dir_all(&abi_dir)?;
    let mut found = BTreeMap::new();
    for (id, artifact) in output.artifact_ids() {
        let source = if id.source.is_absolute() {
            id.source.clone()
        } else {
            root.join(&id.source)
        };
        let Ok(relative) = source.strip_prefix(&contracts_dir) else {
            continue;
        };
        let artifact = serde_json::to_value(artifact)?;
        let Some(kind) = kind_of(&artifact, &id.name) else {
            continue;
        };
        let abi = artifact.get("abi").cloned().unwrap_or(Value::Null);
        let bytecode = object(&artifact, "bytecode");
        if abi.as_array().is_none_or(Vec::is_empty) {
            continue; // e.g. a library of internal functions only: nothing to call
        }
        let mut trimmed = json!({ "abi": abi });
        // Bytecode with library placeholders (`__$...$__`) cannot be deployed as it is: such
        // contracts (the forge test kit) get ABI-only bindings.
        if kind != "interface"
            && let Some(code) = bytecode.filter(|code| !code.contains("__$"))
        {
            trimmed["bytecode"] = json!({ "object": code });
            if let Some(deployed) = object(&artifact, "deployedBytecode") {
                trimmed["deployedBytecode"] = json!({ "object": deployed });
            }
        }
        let relative = Path::new("contracts").join(relative);
        found.insert((id.name.clone(), relative), (kind, trimmed));
    }

    // Module names: snake_case of the contract name; the file stem disambiguates duplicates.
    let mut per_name: BTreeMap<String, usize> = BTreeMap::new();
    for (name, _) in found.keys() {
        *per_name.entry(snake_case(name)).or_default() += 1;
    }
    let mut used = BTreeSet::new();
    let mut bindings = Vec::new();
    for ((contract, source), (kind, trimmed)) in found {
        let mut module = snake_case(&contract);
        if per_name[&module] > 1 {
            let stem = source.with_extension("");
            let stem = stem.to_string_lossy().replace(['/', '\\', '.', '-'], "_");
            module = format!("{}_{module}", snake_case(&stem));
        }
        if !used.insert(module.clone()) {
            return Err(format!("two contracts map to the module name `{module}`").into());
        }
        let json_path = abi_dir.join(format!("{module}.json"));
        write_if_changed(&json_path, &serde_json::to_string(&trimmed)?)?;
        bindings.push(Binding {
            contract,
            source,
            module,
            json_path,
            kind,
        });
    }
    Ok(bindings)
}

/// "interface", "library" or "contract" for bindable artifacts; None for abstract contracts.
fn kind_of(artifact: &Value, name: &str) -> Option<&'static str> {
    let nodes = artifact.pointer("/ast/nodes").and_then(Value::as_array);
    let definition = nodes.into_iter().flatten().find(|node| {
        node.get("nodeType").and_then(Value::as_str) == Some("ContractDefinition")
            && node.get("name").and_then(Value::as_str) == Some(name)
    });
    let Some(definition) = definition else {
        // No AST: bind whatever has bytecode.
        return object(artifact, "bytecode").map(|_| "contract");
    };
    if definition.get("abstract").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    match definition.get("contractKind").and_then(Value::as_str) {
        Some("interface") => Some("interface"),
        Some("library") => Some("library"),
        _ => Some("contract"),
    }
}

/// The non-empty `object` of a bytecode field, if any.
fn object(artifact: &Value, field: &str) -> Option<String> {
    let object = artifact.get(field)?.get("object")?.as_str()?;
    let hex = object.trim_start_matches("0x");
    (!hex.is_empty()).then(|| format!("0x{hex}"))
}

/// `Router` -> `router`, `EVM2EVMOnRamp` -> `evm2_evm_on_ramp`, `IARM` -> `i_arm`.
fn snake_case(name: &str) -> String {
    // The interface prefix is a word of its own: `IERC20` -> `i_erc20`, not `ierc20`.
    let mut chars = name.chars();
    if let (Some('I'), Some(second)) = (chars.next(), chars.next())
        && second.is_ascii_uppercase()
    {
        return format!("i_{}", snake_case(&name[1..]));
    }
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_ascii_uppercase())
                    && next.is_some_and(char::is_ascii_lowercase));
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    const KEYWORDS: &[&str] = &[
        "type", "mod", "use", "self", "super", "crate", "fn", "impl", "trait",
    ];
    if KEYWORDS.contains(&out.as_str()) {
        format!("{out}_")
    } else {
        out
    }
}

fn render(bindings: &[Binding]) -> String {
    let mut rs =
        String::from("// @generated by ccip-bindings/build.rs from contracts/. Do not edit.\n\n");
    for b in bindings {
        let _ = write!(
            rs,
            "/// Bindings for {kind} `{contract}` (`{source}`).\npub mod {module} {{\n    \
             alloy::sol!(\n        #[sol(rpc, all_derives)]\n        {contract},\n        {path:?}\n    );\n}}\n\n",
            kind = b.kind,
            contract = b.contract,
            source = b.source.display(),
            module = b.module,
            path = b.json_path.display().to_string(),
        );
    }
    rs.push_str("/// Every generated binding: (contract name, kind, source file, module).\n");
    rs.push_str("pub const BINDINGS: &[(&str, &str, &str, &str)] = &[\n");
    for b in bindings {
        let _ = writeln!(
            rs,
            "    ({:?}, {:?}, {:?}, {:?}),",
            b.contract,
            b.kind,
            b.source.display().to_string(),
            b.module
        );
    }
    rs.push_str("];\n");
    rs
}

/// Writes only on change, so unchanged outputs keep their mtime and trigger no rebuilds.
fn write_if_changed(path: &Path, contents: &str) -> Result<()> {
    if fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    fs::write(path, contents)?;
    Ok(())
}
