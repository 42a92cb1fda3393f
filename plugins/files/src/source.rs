//! Opening a file as a stream of UTF-8 bytes: gzip is undone (a `.gz` name or the gzip magic
//! bytes `1f 8b`), a byte-order mark is dropped, and a non-UTF-8 encoding is transcoded by
//! `encoding_rs`.
//!
//! With `encoding = "utf-8"` the bytes pass through unchanged, so invalid UTF-8 reaches the
//! readers, which quarantine the row naming the field (instead of replacing bytes silently). A
//! UTF-16 byte-order mark is honoured whatever the configured encoding.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;
use flate2::read::MultiGzDecoder;

const BUFFER: usize = 64 * 1024;

/// The encoding for a WHATWG label (`utf-8`, `latin1`, `windows-1252`, `utf-16le`…), or
/// `None` when the label is unknown or names no decodable encoding. Common spellings outside
/// the WHATWG list are accepted too: `latin-1`, `iso_8859_1`, `utf_8` (the label with `-` or
/// `_` removed, or `_` read as `-`).
pub(crate) fn encoding_for(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    let squeezed: String = label.chars().filter(|c| !matches!(c, '-' | '_')).collect();
    let dashed = label.replace('_', "-");
    [label, squeezed.as_str(), dashed.as_str()]
        .into_iter()
        .find_map(|l| Encoding::for_label(l.as_bytes()))
        .filter(|e| *e != encoding_rs::REPLACEMENT)
}

/// Opens `path` for reading as UTF-8 text; fails only when the file cannot be opened or its
/// first bytes cannot be read.
pub(crate) fn open(
    path: &Path,
    encoding: &'static Encoding,
) -> io::Result<Box<dyn BufRead + Send>> {
    let mut file = File::open(path)?;
    let mut magic = [0u8; 2];
    let got = read_up_to(&mut file, &mut magic)?;
    file.seek(SeekFrom::Start(0))?;
    let named_gz = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("gz"));
    let raw: Box<dyn Read + Send> = if named_gz || (got == 2 && magic == [0x1f, 0x8b]) {
        Box::new(MultiGzDecoder::new(BufReader::with_capacity(BUFFER, file)))
    } else {
        Box::new(file)
    };
    let mut builder = DecodeReaderBytesBuilder::new();
    builder.strip_bom(true);
    if encoding == encoding_rs::UTF_8 {
        builder.utf8_passthru(true);
    } else {
        builder.encoding(Some(encoding)).bom_override(true);
    }
    Ok(Box::new(BufReader::with_capacity(
        BUFFER,
        builder.build(raw),
    )))
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The file's format, from its name: `.jsonl` / `.ndjson` (optionally `.gz`) are JSONL, `.csv`
/// / `.tsv` (optionally `.gz`) are CSV, anything else is `None`.
pub(crate) fn format_by_name(path: &Path) -> Option<crate::Format> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        Some(crate::Format::Jsonl)
    } else if name.ends_with(".csv") || name.ends_with(".tsv") {
        Some(crate::Format::Csv)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(path: &Path, encoding: &'static Encoding) -> Vec<u8> {
        let mut out = Vec::new();
        open(path, encoding)
            .expect("open")
            .read_to_end(&mut out)
            .expect("read");
        out
    }

    #[test]
    fn gzip_by_magic_bytes_and_bom_stripped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("data.csv");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"\xEF\xBB\xBFa,b\n1,2\n").expect("gzip");
        std::fs::write(&path, gz.finish().expect("gzip")).expect("write");
        assert_eq!(read_all(&path, encoding_rs::UTF_8), b"a,b\n1,2\n");
    }

    #[test]
    fn invalid_utf8_passes_through_and_latin1_is_decoded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("data.csv");
        std::fs::write(&path, b"a\xE3b").expect("write");
        assert_eq!(read_all(&path, encoding_rs::UTF_8), b"a\xE3b");
        let latin1 = encoding_for("latin-1").expect("label");
        assert_eq!(read_all(&path, latin1), "aãb".as_bytes());
        assert!(encoding_for("klingon").is_none());
        for label in [
            "latin1",
            "ISO-8859-1",
            "iso_8859_1",
            "windows-1252",
            "cp1252",
        ] {
            assert_eq!(encoding_for(label), Some(latin1), "{label}");
        }
        assert_eq!(encoding_for("UTF_8"), Some(encoding_rs::UTF_8));
    }
}
