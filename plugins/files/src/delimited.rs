//! Reading CSV (and other delimited text) row by row with the `csv` crate.
//!
//! The first record is the header; its names are taken exactly as written (quotes removed, no
//! trimming). The reader is `flexible`, so a row with a different number of fields than the
//! header reaches us and is handed over as unreadable (`expected 4 fields, found 3`) instead of
//! being read with shifted columns. Fields are read as bytes; a field is checked for UTF-8 only
//! when a record field reads it.

use std::collections::{HashMap, VecDeque};
use std::io::{self, BufRead, Read};
use std::path::Path;

use csv::{ByteRecord, ReaderBuilder};
use encoding_rs::Encoding;
use restock_core::{Error, Provenance};

use crate::parse::ValueError;
use crate::row::{Cell, Item, Row};
use crate::source;

/// Consecutive parse errors after which the file is taken as unreadable.
const MAX_CONSECUTIVE_ERRORS: usize = 1000;

/// The column names of a CSV file, in order.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Header {
    fn new(names: Vec<String>) -> Self {
        let mut index = HashMap::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            // The first of two equal names wins, as a reader of the file would expect.
            index.entry(name.clone()).or_insert(i);
        }
        Self { names, index }
    }

    /// True when a column is named `name`.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The names, quoted and comma-separated, for error messages.
    pub(crate) fn describe(&self) -> String {
        self.names
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// An open CSV file whose header has been read.
pub(crate) struct CsvFile {
    reader: csv::Reader<LineTracker<Box<dyn BufRead + Send>>>,
    header: Header,
    delimiter: u8,
    source: String,
}

impl CsvFile {
    /// Opens `path` and reads its header. `Error::Io` when the file cannot be opened or read,
    /// `Error::Input` when it has no header or the header is not text.
    pub(crate) fn open(
        path: &Path,
        source: &str,
        encoding: &'static Encoding,
        delimiter: u8,
    ) -> Result<Self, Error> {
        let input = source::open(path, encoding).map_err(|e| Error::io(source, e))?;
        let mut reader = ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(LineTracker::new(input));
        let header_error = |message: String| Error::Input {
            location: Provenance::at(source, 1),
            message,
        };
        let raw = match reader.byte_headers() {
            Ok(raw) => raw.clone(),
            Err(e) => {
                let message = e.to_string();
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(io) => Error::io(source, io),
                    _ => header_error(format!("cannot read the header: {message}")),
                });
            }
        };
        if raw.is_empty() || (raw.len() == 1 && raw[0].is_empty()) {
            return Err(header_error(
                "the file is empty: expected a header line naming the columns".to_owned(),
            ));
        }
        let mut names = Vec::with_capacity(raw.len());
        for (i, name) in raw.iter().enumerate() {
            match std::str::from_utf8(name) {
                Ok(name) => names.push(name.to_owned()),
                Err(_) => {
                    return Err(header_error(format!(
                        "header column {} is not valid UTF-8 (set `encoding` if the file is not \
                         UTF-8, e.g. \"latin-1\")",
                        i + 1
                    )));
                }
            }
        }
        Ok(Self {
            reader,
            header: Header::new(names),
            delimiter,
            source: source.to_owned(),
        })
    }

    /// The header.
    pub(crate) fn header(&self) -> &Header {
        &self.header
    }

    /// Hands every data row to `visit`, in order. Stops at the first error `visit` returns, or
    /// when the file cannot be read any further (`Error::Io`).
    pub(crate) fn for_each(
        mut self,
        visit: &mut dyn FnMut(Item<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut record = ByteRecord::new();
        let expected = self.header.names.len();
        let mut consecutive_errors = 0;
        loop {
            match self.reader.read_byte_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    consecutive_errors = 0;
                    let start = record.position().map_or(0, |p| p.byte());
                    let line = self.reader.get_mut().line_at(start);
                    if self.runs_into_end_of_file(&record) {
                        visit(Item::Unreadable {
                            line,
                            reason: "a quoted field is never closed: it runs to the end of the \
                                     file, taking in every line after this one"
                                .to_owned(),
                            raw: raw_text(&record, self.delimiter),
                        })?;
                        continue;
                    }
                    if record.len() != expected {
                        visit(Item::Unreadable {
                            line,
                            reason: format!("expected {expected} fields, found {}", record.len()),
                            raw: raw_text(&record, self.delimiter),
                        })?;
                        continue;
                    }
                    let row = CsvRow {
                        header: &self.header,
                        record: &record,
                        delimiter: self.delimiter,
                    };
                    visit(Item::Row { line, row: &row })?;
                }
                Err(e) => {
                    let start = e.position().map_or(0, |p| p.byte());
                    let line = self.reader.get_mut().line_at(start);
                    let message = e.to_string();
                    match e.into_kind() {
                        csv::ErrorKind::Io(io) => return Err(Error::io(&self.source, io)),
                        _ => {
                            consecutive_errors += 1;
                            if consecutive_errors > MAX_CONSECUTIVE_ERRORS {
                                return Err(Error::Input {
                                    location: Provenance::at(self.source.as_str(), line),
                                    message: format!(
                                        "more than {MAX_CONSECUTIVE_ERRORS} unreadable rows in a \
                                         row; stopped reading"
                                    ),
                                });
                            }
                            visit(Item::Unreadable {
                                line,
                                reason: format!("CSV error: {message}"),
                                raw: raw_text(&record, self.delimiter),
                            })?;
                        }
                    }
                }
            }
        }
    }
}

impl CsvFile {
    /// True when `record` is the last of the file and its last field is a quoted field that was
    /// never closed (the `csv` crate then reads the rest of the file into that field without an
    /// error). Such a field holds a line break, and the file does not end with a quote.
    fn runs_into_end_of_file(&self, record: &ByteRecord) -> bool {
        let tracker = self.reader.get_ref();
        let at_end = tracker.eof && self.reader.position().byte() == tracker.offset;
        let last_has_break = record
            .get(record.len().saturating_sub(1))
            .is_some_and(|field| field.iter().any(|b| matches!(b, b'\n' | b'\r')));
        at_end && last_has_break && tracker.last_content != Some(b'"')
    }
}

/// A record written back as one CSV line (quoted where needed), for the quarantine.
fn raw_text(record: &ByteRecord, delimiter: u8) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    if writer.write_byte_record(record).is_err() {
        return String::new();
    }
    let mut bytes = writer.into_inner().unwrap_or_default();
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

struct CsvRow<'a> {
    header: &'a Header,
    record: &'a ByteRecord,
    delimiter: u8,
}

impl Row for CsvRow<'_> {
    fn get(&self, column: &str) -> Cell<'_> {
        let Some(bytes) = self
            .header
            .index
            .get(column)
            .and_then(|&i| self.record.get(i))
        else {
            return Cell::Absent;
        };
        match std::str::from_utf8(bytes) {
            Ok(text) => Cell::Text(text.into()),
            Err(_) => Cell::Invalid(ValueError::InvalidUtf8),
        }
    }

    fn raw(&self) -> String {
        raw_text(self.record, self.delimiter)
    }

    fn noun(&self) -> &'static str {
        "column"
    }
}

/// Remembers where the line breaks are in the bytes the CSV reader consumes, to give each
/// record the line it starts on.
///
/// The `csv` crate's own `Position::line` of a record is the line where it started looking for
/// the record: with CRLF line ends that is the previous record's line, and after blank lines it
/// is the first blank line. Here the record's start offset skips the line-end bytes before it.
struct LineTracker<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Offsets and bytes of the `\r` and `\n` not yet passed by a query, in order.
    breaks: VecDeque<(u64, u8)>,
    /// `\n` bytes already passed.
    newlines: u64,
    /// The last byte read that is not a line end.
    last_content: Option<u8>,
    /// True once the input returned end of file.
    eof: bool,
}

impl<R> LineTracker<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            breaks: VecDeque::new(),
            newlines: 0,
            last_content: None,
            eof: false,
        }
    }

    /// The 1-based line of the first byte at or after `start` that is not a line end. Offsets
    /// must not decrease from one call to the next.
    fn line_at(&mut self, start: u64) -> u64 {
        let mut start = start;
        while let Some(&(offset, byte)) = self.breaks.front() {
            if offset < start {
                // Before the record (or inside an earlier one).
            } else if offset == start {
                // A line end just before the record: skip it.
                start += 1;
            } else {
                break;
            }
            if byte == b'\n' {
                self.newlines += 1;
            }
            self.breaks.pop_front();
        }
        self.newlines + 1
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.eof = true;
        }
        for (i, &byte) in buf[..n].iter().enumerate() {
            if byte == b'\n' || byte == b'\r' {
                self.breaks.push_back((self.offset + i as u64, byte));
            } else {
                self.last_content = Some(byte);
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &str) -> Vec<(u64, String)> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.csv");
        std::fs::write(&path, data).expect("write");
        let csv = CsvFile::open(&path, "t.csv", encoding_rs::UTF_8, b',').expect("open");
        let mut out = Vec::new();
        csv.for_each(&mut |item| {
            match item {
                Item::Row { line, row } => out.push((line, row.raw())),
                Item::Unreadable { line, raw, .. } => out.push((line, raw)),
            }
            Ok(())
        })
        .expect("read");
        out
    }

    #[test]
    fn records_get_the_line_they_start_on() {
        let expected = vec![(2, "1,2".to_owned()), (3, "3,4".to_owned())];
        assert_eq!(lines("a,b\n1,2\n3,4\n"), expected);
        assert_eq!(lines("a,b\r\n1,2\r\n3,4\r\n"), expected);
        assert_eq!(lines("a,b\r\n1,2\r\n3,4"), expected);
        let blank = vec![(2, "1,2".to_owned()), (5, "3,4".to_owned())];
        assert_eq!(lines("a,b\n1,2\n\n\n3,4\n"), blank);
        assert_eq!(lines("a,b\r\n1,2\r\n\r\n\r\n3,4\r\n"), blank);
        assert_eq!(lines("\n\na,b\n1,2\n"), vec![(4, "1,2".to_owned())]);
        assert_eq!(
            lines("a,b\n\"x\r\ny\",2\n3,4\n"),
            vec![(2, "\"x\r\ny\",2".to_owned()), (4, "3,4".to_owned())]
        );
    }
}
