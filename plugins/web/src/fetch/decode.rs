//! From the bytes on the wire to text: decompression (by `Content-Encoding`, or by magic bytes
//! when the header is missing or wrong) under a size cap, then the character encoding (the
//! header's charset, else the page's `<meta>`, else detection).

use std::io::Read;

use encoding_rs::Encoding;

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The decompressed body is larger than the cap (a decompression bomb, or a huge page).
    #[error("the body decompresses to more than {max_bytes} bytes (max_bytes)")]
    TooLarge {
        /// The cap.
        max_bytes: u64,
    },
    /// The body claims or looks like a compression it is not valid in.
    #[error("the body is not valid {encoding}: {message}")]
    Corrupt {
        /// gzip, deflate or br.
        encoding: &'static str,
        /// The decompressor's message.
        message: String,
    },
}

/// How a text's encoding was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte-order mark.
    ByteOrderMark,
    /// The `charset` of the `Content-Type` header.
    Header,
    /// `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">`.
    Meta,
    /// Guessed from the bytes (chardetng).
    Detected,
}

/// Decompresses `body` as `content_encoding` says, or as its first bytes say when the header is
/// absent or does not fit: gzip (`1f 8b`) and zlib (`78 ..`) are recognised by magic bytes;
/// brotli has none, so it is only read when the header names it. The output is capped at
/// `max_bytes`.
pub fn decompress(
    body: &[u8],
    content_encoding: Option<&str>,
    max_bytes: u64,
) -> Result<Vec<u8>, DecodeError> {
    let declared = content_encoding
        .map(|e| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let looks_gzip = body.starts_with(&[0x1f, 0x8b]);
    let looks_zlib = body.len() >= 2
        && body[0] == 0x78
        && (u16::from(body[0]) << 8 | u16::from(body[1])) % 31 == 0;
    match declared.as_str() {
        _ if looks_gzip => capped(flate2::read::MultiGzDecoder::new(body), "gzip", max_bytes),
        "br" => capped(brotli::Decompressor::new(body, 8192), "br", max_bytes),
        _ if looks_zlib => capped(flate2::read::ZlibDecoder::new(body), "deflate", max_bytes),
        // Some servers send raw deflate (no zlib header) for `deflate`.
        "deflate" => capped(
            flate2::read::DeflateDecoder::new(body),
            "deflate",
            max_bytes,
        ),
        // `gzip` declared but no gzip bytes: the header lies and the body is plain.
        _ => {
            if body.len() as u64 > max_bytes {
                return Err(DecodeError::TooLarge { max_bytes });
            }
            Ok(body.to_vec())
        }
    }
}

fn capped(
    reader: impl Read,
    encoding: &'static str,
    max_bytes: u64,
) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    reader
        .take(max_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Corrupt {
            encoding,
            message: e.to_string(),
        })?;
    if out.len() as u64 > max_bytes {
        return Err(DecodeError::TooLarge { max_bytes });
    }
    Ok(out)
}

/// Decodes an HTML (or any text) body: a byte-order mark first, then the `charset` of the
/// `Content-Type` header, then a `<meta>` declaration in the first 4 KiB (the HTML standard's
/// prescan reads 1 KiB; pages with long heads put it later), then detection.
pub fn decode_text(
    body: &[u8],
    content_type: Option<&str>,
) -> (String, &'static Encoding, CharsetSource) {
    let (encoding, source) = choose_encoding(body, content_type);
    let (text, _, _) = encoding.decode(body);
    (text.into_owned(), encoding, source)
}

fn choose_encoding(body: &[u8], content_type: Option<&str>) -> (&'static Encoding, CharsetSource) {
    if let Some((encoding, _)) = Encoding::for_bom(body) {
        return (encoding, CharsetSource::ByteOrderMark);
    }
    if let Some(encoding) = content_type.and_then(charset_parameter).and_then(label) {
        return (encoding, CharsetSource::Header);
    }
    let head = &body[..body.len().min(4096)];
    if let Some(encoding) = meta_charset(head) {
        return (encoding, CharsetSource::Meta);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(body, true);
    (detector.guess(None, true), CharsetSource::Detected)
}

fn label(name: &str) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(name.trim().trim_matches(['"', '\'']).as_bytes())?;
    // A page that says UTF-16 in a meta tag is read as ASCII-compatible (HTML standard).
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        return Some(encoding_rs::UTF_8);
    }
    Some(encoding)
}

fn charset_parameter(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then_some(value.trim())
    })
}

/// The charset of the first `<meta>` tag that declares one, either way.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut rest = lower.as_slice();
    while let Some(start) = find(rest, b"<meta") {
        let tag_start = &rest[start..];
        let end = tag_start
            .iter()
            .position(|&b| b == b'>')
            .unwrap_or(tag_start.len());
        let tag = &tag_start[..end];
        if let Some(at) = find(tag, b"charset") {
            let after = &tag[at + b"charset".len()..];
            let after = after.trim_ascii_start();
            if let Some(value) = after.strip_prefix(b"=") {
                let value = value.trim_ascii_start();
                let value = value
                    .strip_prefix(b"\"")
                    .or_else(|| value.strip_prefix(b"'"))
                    .unwrap_or(value);
                let len = value
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(b)))
                    .unwrap_or(value.len());
                if let Some(encoding) = std::str::from_utf8(&value[..len]).ok().and_then(label) {
                    return Some(encoding);
                }
            }
        }
        rest = &tag_start[end.max(1)..];
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_is_recognised_by_magic_bytes_whatever_the_header_says() {
        let body = gzip(b"<p>hello</p>");
        for header in [
            None,
            Some("identity"),
            Some("br"),
            Some("deflate"),
            Some("gzip"),
        ] {
            assert_eq!(decompress(&body, header, 1000).unwrap(), b"<p>hello</p>");
        }
        assert_eq!(decompress(b"plain", Some("gzip"), 1000).unwrap(), b"plain");
    }

    #[test]
    fn deflate_zlib_and_raw_and_brotli() {
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        zlib.write_all(b"zlib text").unwrap();
        assert_eq!(
            decompress(&zlib.finish().unwrap(), Some("deflate"), 100).unwrap(),
            b"zlib text"
        );
        let mut raw =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        raw.write_all(b"raw text").unwrap();
        assert_eq!(
            decompress(&raw.finish().unwrap(), Some("deflate"), 100).unwrap(),
            b"raw text"
        );
        let mut br = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 5, 22);
            writer.write_all(b"brotli text").unwrap();
        }
        assert_eq!(decompress(&br, Some("br"), 100).unwrap(), b"brotli text");
    }

    #[test]
    fn a_decompression_bomb_stops_at_the_cap() {
        let bomb = gzip(&vec![b'a'; 10_000_000]);
        assert!(bomb.len() < 20_000);
        assert_eq!(
            decompress(&bomb, Some("gzip"), 1_000_000),
            Err(DecodeError::TooLarge {
                max_bytes: 1_000_000
            })
        );
    }

    #[test]
    fn charset_from_header_then_meta_then_detection() {
        let (gbk, _, _) = encoding_rs::GBK.encode("中文评论");
        let page = [b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"></head><body>".as_slice(), &gbk, b"</body></html>"].concat();
        let (text, encoding, source) = decode_text(&page, Some("text/html"));
        assert_eq!((encoding, source), (encoding_rs::GBK, CharsetSource::Meta));
        assert!(text.contains("中文评论"));
        let (_, encoding, source) = decode_text(&page, Some("text/html; charset=\"windows-1252\""));
        assert_eq!(
            (encoding, source),
            (encoding_rs::WINDOWS_1252, CharsetSource::Header)
        );
        let (text, _, source) = decode_text("<meta charset='utf-8'>ção".as_bytes(), None);
        assert_eq!(
            (text.as_str(), source),
            ("<meta charset='utf-8'>ção", CharsetSource::Meta)
        );
        let (latin, _, _) = encoding_rs::WINDOWS_1252
            .encode("Très bien, ça marche très très bien, élégant et pratique");
        let (text, _, source) = decode_text(&latin, None);
        assert_eq!(source, CharsetSource::Detected);
        assert!(text.contains("Très bien, ça"), "{text}");
    }
}
