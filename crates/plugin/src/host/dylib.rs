//! Loading a plugin library: open it, check its declaration, keep it loaded for good.

use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::abi::{self, Declaration, DeclarationHeader};
use crate::protocol::Request;

use super::{Connection, LoadError, Reply, parse_answer};

/// What a library's declaration says, read before anything of it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationInfo {
    /// ABI version.
    pub abi_version: u32,
    /// `restock-core` version.
    pub core_version: String,
    /// `rustc --version` of the compiler that built it.
    pub rustc_version: String,
    /// `restock-plugin` version.
    pub sdk_version: String,
    /// Plugin crate name.
    pub plugin_name: String,
    /// Plugin crate version.
    pub plugin_version: String,
}

/// The platform's file name of the library of crate `name` (`libname.so`, `libname.dylib`,
/// `name.dll`).
pub fn library_file_name(name: &str) -> String {
    let name = name.replace('-', "_");
    format!(
        "{}{name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

/// `path` as given when it exists; else, when its file name has no extension, the platform's
/// library name in the same folder (`target/debug/my_plugin` → `target/debug/libmy_plugin.so`).
pub fn resolve_library(path: &Path) -> PathBuf {
    if path.exists() || path.extension().is_some() {
        return path.to_path_buf();
    }
    match path.file_name().and_then(|n| n.to_str()) {
        Some(name) => path.with_file_name(library_file_name(name)),
        None => path.to_path_buf(),
    }
}

/// The checks a host makes of a declaration, in order: ABI version, `restock-core` version
/// (same major, and same minor while the major is 0), compiler version.
///
/// # Errors
/// [`LoadError::AbiMismatch`], [`LoadError::CoreMismatch`] or [`LoadError::CompilerMismatch`].
pub fn check(path: &Path, found: &DeclarationInfo) -> Result<(), LoadError> {
    if found.abi_version != abi::ABI_VERSION {
        return Err(LoadError::AbiMismatch {
            path: path.to_path_buf(),
            found: found.abi_version,
            expected: abi::ABI_VERSION,
        });
    }
    if !core_compatible(&found.core_version, restock_core::CORE_VERSION) {
        return Err(LoadError::CoreMismatch {
            path: path.to_path_buf(),
            found: found.core_version.clone(),
            expected: restock_core::CORE_VERSION.to_owned(),
        });
    }
    if found.rustc_version != abi::RUSTC_VERSION {
        return Err(LoadError::CompilerMismatch {
            path: path.to_path_buf(),
            found: found.rustc_version.clone(),
            expected: abi::RUSTC_VERSION.to_owned(),
        });
    }
    Ok(())
}

/// Semver compatibility of two `restock-core` versions: same major, and while the major is 0,
/// same minor.
pub fn core_compatible(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Option<(u64, u64)> {
        let mut it = v.split(['.', '-', '+']);
        Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
    };
    match (parts(a), parts(b)) {
        (Some((0, minor_a)), Some((0, minor_b))) => minor_a == minor_b,
        (Some((major_a, _)), Some((major_b, _))) => major_a == major_b,
        _ => false,
    }
}

/// A loaded library's entry point.
pub(super) struct Library {
    call: abi::CallFn,
}

/// Opens the library at `path`, reads and checks its declaration, and returns its entry point
/// and declaration. Nothing of the library runs before the checks pass (beyond what the
/// platform's loader runs when it maps a library, which Rust libraries do not use).
pub(super) fn open(path: &Path) -> Result<(Arc<dyn Connection>, DeclarationInfo), LoadError> {
    if !path.exists() {
        return Err(LoadError::NotFound {
            path: path.to_path_buf(),
        });
    }
    // SAFETY: loading a library runs its initialisers; a Restock plugin has none. The library
    // is never unloaded (see below), so no symbol taken from it outlives it.
    let library = unsafe { libloading::Library::new(path) }.map_err(|e| LoadError::Open {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    // SAFETY: the symbol is a static; only its address is taken here.
    let symbol = unsafe { library.get::<*const DeclarationHeader>(abi::DECLARATION_SYMBOL) };
    let header_ptr = match symbol {
        Ok(s) => *s,
        Err(_) => {
            return Err(LoadError::NotAPlugin {
                path: path.to_path_buf(),
            });
        }
    };
    // SAFETY: every Restock declaration starts with the 16-byte header, whatever its version;
    // a library exporting the symbol with another meaning fails the magic check.
    let header = unsafe { *header_ptr };
    if header.magic != abi::MAGIC {
        return Err(LoadError::NotAPlugin {
            path: path.to_path_buf(),
        });
    }
    if header.abi_version != abi::ABI_VERSION
        || (header.size as usize) < std::mem::size_of::<Declaration>()
    {
        return Err(LoadError::AbiMismatch {
            path: path.to_path_buf(),
            found: header.abi_version,
            expected: abi::ABI_VERSION,
        });
    }
    // SAFETY: same ABI version, so the whole declaration has this layout; its strings are
    // statics of the library, which stays loaded.
    let declaration = unsafe { &*(header_ptr as *const Declaration) };
    let info = unsafe {
        DeclarationInfo {
            abi_version: header.abi_version,
            core_version: declaration.core_version.to_str_lossy().into_owned(),
            rustc_version: declaration.rustc_version.to_str_lossy().into_owned(),
            sdk_version: declaration.sdk_version.to_str_lossy().into_owned(),
            plugin_name: declaration.plugin_name.to_str_lossy().into_owned(),
            plugin_version: declaration.plugin_version.to_str_lossy().into_owned(),
        }
    };
    check(path, &info)?;
    let call = declaration.call;
    // Never unloaded: the plugin's runtime threads, statics and any callback in flight would
    // dangle. The handle is leaked on purpose.
    std::mem::forget(library);
    Ok((Arc::new(Library { call }), info))
}

/// The host's completion: turns the plugin's bytes into a response and hands it to the reply.
unsafe extern "C" fn complete(ctx: *mut c_void, response: *const u8, len: usize) {
    // SAFETY: `ctx` is the `Box<Reply>` leaked in `send`, completed exactly once (abi rules);
    // `response` is `len` readable bytes for this call.
    let reply = unsafe { Box::from_raw(ctx as *mut Reply) };
    let bytes = unsafe { std::slice::from_raw_parts(response, len) }.to_vec();
    // No panic may unwind into the plugin's frames.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        reply(parse_answer(&bytes))
    }));
}

impl Connection for Library {
    fn send(&self, id: u64, request: Request, reply: Reply) {
        let body = match super::encode(id, request) {
            Ok(b) => b,
            Err(why) => return reply(Err(why)),
        };
        let ctx = Box::into_raw(Box::new(reply)) as *mut c_void;
        // SAFETY: `body` outlives the call; `complete` takes `ctx` back exactly once.
        unsafe { (self.call)(body.as_ptr(), body.len(), complete, ctx) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours() -> DeclarationInfo {
        DeclarationInfo {
            abi_version: abi::ABI_VERSION,
            core_version: restock_core::CORE_VERSION.to_owned(),
            rustc_version: abi::RUSTC_VERSION.to_owned(),
            sdk_version: abi::SDK_VERSION.to_owned(),
            plugin_name: "p".into(),
            plugin_version: "1.0.0".into(),
        }
    }

    #[test]
    fn a_declaration_is_checked_for_abi_then_core_then_compiler() {
        let path = Path::new("libp.so");
        assert!(check(path, &ours()).is_ok());

        let core = DeclarationInfo {
            core_version: "0.99.0".into(),
            ..ours()
        };
        let message = check(path, &core).unwrap_err().to_string();
        assert!(
            message.starts_with(&format!(
                "libp.so: built against restock-core 0.99.0, but this restock has {}; \
                 nothing of it was run. Rebuild the plugin with restock-plugin",
                restock_core::CORE_VERSION
            )),
            "{message}"
        );

        let compiler = DeclarationInfo {
            rustc_version: "rustc 1.0.0 (a28077b28 2015-05-13)".into(),
            ..ours()
        };
        let message = check(path, &compiler).unwrap_err().to_string();
        assert!(
            message.starts_with(
                "libp.so: built by rustc 1.0.0 (a28077b28 2015-05-13), but this restock was \
                 built by rustc"
            ),
            "{message}"
        );
        assert!(message.contains("Rebuild the plugin with the same toolchain"));

        // The ABI is checked first: a library wrong on every count names the ABI.
        let all = DeclarationInfo {
            abi_version: 7,
            ..compiler
        };
        assert!(matches!(
            check(path, &all),
            Err(LoadError::AbiMismatch {
                found: 7,
                expected: abi::ABI_VERSION,
                ..
            })
        ));
    }

    #[test]
    fn core_versions_are_compatible_within_a_minor_while_the_major_is_zero() {
        assert!(core_compatible("0.1.0", "0.1.7"));
        assert!(!core_compatible("0.1.0", "0.2.0"));
        assert!(core_compatible("1.2.0", "1.5.3"));
        assert!(!core_compatible("1.2.0", "2.0.0"));
        assert!(core_compatible("0.1.0-alpha", "0.1.0"));
        assert!(!core_compatible("garbage", "0.1.0"));
    }

    #[test]
    fn a_library_path_without_an_extension_gets_the_platform_name() {
        let resolved = resolve_library(Path::new("target/debug/my-plugin"));
        assert_eq!(
            resolved,
            Path::new("target/debug").join(format!(
                "{}my_plugin{}",
                std::env::consts::DLL_PREFIX,
                std::env::consts::DLL_SUFFIX
            ))
        );
        assert_eq!(
            resolve_library(Path::new("x/lib.so.1")),
            Path::new("x/lib.so.1"),
            "a name with an extension is kept"
        );
    }
}
