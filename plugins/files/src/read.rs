//! Opening a file in its format and walking its rows, whatever the format; and the tally of
//! what was read and set aside.

use std::sync::Arc;

use restock_core::{Context, Error, Progress, Provenance};

use crate::Format;
use crate::delimited::{CsvFile, Header};
use crate::jsonl::JsonlFile;
use crate::plan::FileSpec;
use crate::row::Item;

/// Rows between two cancellation checks.
const CHECK_EVERY: u64 = 10_000;

/// An open file of either format.
pub(crate) enum RowReader {
    /// CSV, header read.
    Csv(Box<CsvFile>),
    /// JSONL.
    Jsonl(JsonlFile),
}

impl RowReader {
    /// Opens `file`; `Error::Io` when it cannot be opened, `Error::Input` when a CSV file has
    /// no readable header.
    pub(crate) fn open(file: &FileSpec) -> Result<Self, Error> {
        Ok(match file.format {
            Format::Csv => RowReader::Csv(Box::new(file.open_csv()?)),
            Format::Jsonl => {
                RowReader::Jsonl(JsonlFile::open(&file.path, &file.source, file.encoding)?)
            }
        })
    }

    /// The CSV header; `None` for JSONL.
    pub(crate) fn header(&self) -> Option<&Header> {
        match self {
            RowReader::Csv(csv) => Some(csv.header()),
            RowReader::Jsonl(_) => None,
        }
    }

    /// Hands every data row to `visit`, in file order.
    pub(crate) fn for_each(
        self,
        visit: &mut dyn FnMut(Item<'_>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self {
            RowReader::Csv(csv) => csv.for_each(visit),
            RowReader::Jsonl(jsonl) => jsonl.for_each(visit),
        }
    }
}

/// Counts quarantined rows, checks for cancellation and shows progress while reading.
pub(crate) struct Tally<'c> {
    ctx: &'c Context,
    progress: Box<dyn Progress>,
    /// Rows set aside so far (all files).
    pub quarantined: usize,
    rows: u64,
}

impl<'c> Tally<'c> {
    /// A tally reporting to `ctx`, with a progress display labelled `label`.
    pub(crate) fn new(ctx: &'c Context, label: &str) -> Self {
        Self {
            ctx,
            progress: ctx.progress(label, None),
            quarantined: 0,
            rows: 0,
        }
    }

    /// Counts one row; every 10,000 rows, fails with `Error::Cancelled` if the run was
    /// cancelled.
    pub(crate) fn tick(&mut self) -> Result<(), Error> {
        self.rows += 1;
        if self.rows.is_multiple_of(CHECK_EVERY) {
            self.progress.inc(CHECK_EVERY);
            if self.ctx.is_cancelled() {
                return Err(Error::Cancelled);
            }
        }
        Ok(())
    }

    /// Sets a row aside at `line` of `source`.
    pub(crate) fn quarantine(&mut self, source: &Arc<str>, line: u64, reason: String, raw: String) {
        self.quarantined += 1;
        self.ctx
            .quarantine(Provenance::at(source.clone(), line), reason, raw);
    }
}
