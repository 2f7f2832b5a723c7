//! Every CSV file Canvass writes (results, published figures, responses, the data dictionary,
//! invite codes) is written here, so that each cell passes the one spreadsheet-formula guard:
//! a cell that Excel, LibreOffice or Google Sheets would run as a formula — it starts with `=`,
//! `+`, `-`, `@`, a tab or a carriage return — gets a leading `'` (OWASP's advice on CSV
//! injection). Residents' answers, area ids and names, and staff's question wording and labels
//! all land in these files; none of them may run in an analyst's spreadsheet. A plain number
//! (`-3.5`, `1e-4`) is left as it is, so it stays a number.

use std::borrow::Cow;

use crate::error::AppError;

/// The UTF-8 byte-order mark Excel needs to read UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV file being written in memory.
pub struct CsvFile {
    out: csv::Writer<Vec<u8>>,
}

impl CsvFile {
    /// A file for spreadsheets: UTF-8 with a byte-order mark.
    pub fn for_spreadsheets() -> Self {
        CsvFile { out: csv::Writer::from_writer(BOM.to_vec()) }
    }

    /// Rows only: the rest of a file streamed a page at a time, or a mail-merge file.
    pub fn rows_only() -> Self {
        CsvFile { out: csv::Writer::from_writer(Vec::new()) }
    }

    /// Writes one row, every cell through [`guard`].
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), AppError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let guarded: Vec<String> = cells.into_iter().map(|cell| guard(cell.as_ref()).into_owned()).collect();
        self.out.write_record(&guarded).map_err(|e| {
            tracing::error!(error = %e, "could not write a CSV row");
            AppError::Internal
        })
    }

    /// The file's bytes.
    pub fn finish(self) -> Result<Vec<u8>, AppError> {
        self.out.into_inner().map_err(|e| {
            tracing::error!(error = %e, "could not finish a CSV file");
            AppError::Internal
        })
    }
}

/// A cell as it is safe to open in a spreadsheet: prefixed with `'` when it would run as a
/// formula, unchanged otherwise (plain numbers included).
pub fn guard(cell: &str) -> Cow<'_, str> {
    let plain_number = cell.parse::<f64>().is_ok_and(f64::is_finite)
        && cell.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_defused() {
        for formula in [
            "=HYPERLINK(\"http://x\",\"click\")",
            "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(A1:A9)",
            "\t=1+1",
            "\r=1+1",
            "-1 for potholes",
            "-inf",
            "-NaN",
        ] {
            assert_eq!(guard(formula), format!("'{formula}"), "{formula:?}");
        }
    }

    #[test]
    fn plain_numbers_and_ordinary_text_are_left_as_they_are() {
        for plain in ["-3.5", "-1000000000", "+4", "1e-4", "-2.5E3", "42", "More buses", "", "Plaza Midwood", "a=b"] {
            assert_eq!(guard(plain), plain, "{plain:?}");
        }
    }

    #[test]
    fn every_cell_written_goes_through_the_guard() {
        let mut file = CsvFile::rows_only();
        file.row(["=1+1", "-3.5", "@x"]).expect("row");
        let text = String::from_utf8(file.finish().expect("finish")).expect("utf-8");
        assert_eq!(text, "'=1+1,-3.5,'@x\n");
        let mut excel = CsvFile::for_spreadsheets();
        excel.row(["a"]).expect("row");
        assert!(excel.finish().expect("finish").starts_with(BOM));
    }
}
