//! The C ABI between the `restock` host and a plugin library: the only things that cross a
//! `dlopen` boundary.
//!
//! A plugin library exports one data symbol, [`DECLARATION_SYMBOL`], a [`Declaration`]. Its
//! first 16 bytes, the [`DeclarationHeader`], have this layout in every ABI version, so a host
//! can read the ABI version of any Restock plugin before trusting the rest. Everything else is
//! one function, [`CallFn`]: serialised request bytes in ([`crate::protocol`], JSON), serialised
//! response bytes out through a completion callback. No Rust type other than `#[repr(C)]`
//! structs of pointers and integers, and `extern "C"` function pointers, crosses.
//!
//! Rules both sides keep:
//! - Bytes passed to a function are borrowed for the duration of that call only; the callee
//!   copies what it keeps. Neither side frees memory the other allocated.
//! - No panic crosses: every entry point catches panics and turns them into error responses.
//! - [`CallFn`] calls its completion exactly once, from any thread, before or after it returns.
//! - The host never unloads a library (its threads and statics live until the process exits).

use std::ffi::c_void;

/// The name of the exported [`Declaration`] (`restock_plugin_declaration`).
pub const DECLARATION_SYMBOL: &[u8] = b"restock_plugin_declaration\0";

/// The first bytes of every declaration: `RSTKPLUG`.
pub const MAGIC: [u8; 8] = *b"RSTKPLUG";

/// The version of this ABI (the [`Declaration`] layout and the calling rules above). A host
/// loads only libraries declaring the same version.
pub const ABI_VERSION: u32 = 1;

/// The compiler that built this copy of the SDK (`rustc --version`).
pub const RUSTC_VERSION: &str = env!("RESTOCK_RUSTC_VERSION");

/// The version of this SDK crate.
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A borrowed UTF-8 string: pointer and length, no terminator.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct StrRef {
    /// First byte.
    pub ptr: *const u8,
    /// Length in bytes.
    pub len: usize,
}

impl StrRef {
    /// A view of a static string.
    pub const fn from_static(s: &'static str) -> Self {
        Self {
            ptr: s.as_ptr(),
            len: s.len(),
        }
    }

    /// The string, lossily decoded.
    ///
    /// # Safety
    /// `ptr` must point to `len` readable bytes for the lifetime `'a`.
    pub unsafe fn to_str_lossy<'a>(self) -> std::borrow::Cow<'a, str> {
        if self.ptr.is_null() {
            return std::borrow::Cow::Borrowed("");
        }
        // SAFETY: the caller promises `len` readable bytes at `ptr`.
        let bytes = unsafe { std::slice::from_raw_parts(self.ptr, self.len) };
        String::from_utf8_lossy(bytes)
    }
}

/// The fixed head of every declaration, in every ABI version.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct DeclarationHeader {
    /// [`MAGIC`].
    pub magic: [u8; 8],
    /// The ABI version the library was built for.
    pub abi_version: u32,
    /// `size_of::<Declaration>()` of that version, in bytes.
    pub size: u32,
}

/// Called by the plugin with the response to one request. `response` is borrowed for the
/// duration of the call; `ctx` is the value the host passed to [`CallFn`].
pub type CompletionFn = unsafe extern "C" fn(ctx: *mut c_void, response: *const u8, len: usize);

/// Handles one request (`len` bytes of JSON at `request`, borrowed for the duration of the
/// call) and calls `complete(ctx, …)` exactly once with the response.
pub type CallFn =
    unsafe extern "C" fn(request: *const u8, len: usize, complete: CompletionFn, ctx: *mut c_void);

/// What a plugin library exports under [`DECLARATION_SYMBOL`] (ABI version 1).
#[repr(C)]
pub struct Declaration {
    /// Magic, ABI version and size: read first.
    pub header: DeclarationHeader,
    /// The `restock-core` version the plugin was built against.
    pub core_version: StrRef,
    /// The compiler that built it (`rustc --version`).
    pub rustc_version: StrRef,
    /// The `restock-plugin` version that built it.
    pub sdk_version: StrRef,
    /// The plugin crate's name.
    pub plugin_name: StrRef,
    /// The plugin crate's version.
    pub plugin_version: StrRef,
    /// The one entry point.
    pub call: CallFn,
}

// SAFETY: a declaration only holds pointers to static strings and a function pointer; nothing
// in it is mutated.
unsafe impl Sync for Declaration {}

impl Declaration {
    /// The declaration of a plugin crate named `name` at `version`, calling `call`; the rest is
    /// this SDK's. Used by [`crate::export!`].
    pub const fn new(name: &'static str, version: &'static str, call: CallFn) -> Self {
        Self {
            header: DeclarationHeader {
                magic: MAGIC,
                abi_version: ABI_VERSION,
                size: std::mem::size_of::<Declaration>() as u32,
            },
            core_version: StrRef::from_static(restock_core::CORE_VERSION),
            rustc_version: StrRef::from_static(RUSTC_VERSION),
            sdk_version: StrRef::from_static(SDK_VERSION),
            plugin_name: StrRef::from_static(name),
            plugin_version: StrRef::from_static(version),
            call,
        }
    }
}
