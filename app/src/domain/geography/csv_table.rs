//! The start of every area file a city uploads as CSV (names, street addresses, groupings): a
//! forgiving reader (rows of any length, cells trimmed) and its header, lowercased, to find
//! columns by any of their accepted names.

/// A CSV file opened: its reader (positioned after the header) and its lowercased header.
pub struct CsvTable<'a> {
    pub reader: csv::Reader<&'a [u8]>,
    headers: Vec<String>,
}

impl<'a> CsvTable<'a> {
    /// Opens the text; an unreadable header is the file's one problem.
    pub fn open(text: &'a str) -> Result<Self, Vec<String>> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
        let headers = match reader.headers() {
            Ok(headers) => headers.iter().map(str::to_lowercase).collect(),
            Err(e) => return Err(vec![format!("Line 1: the file cannot be read as CSV ({e}).")]),
        };
        Ok(Self { reader, headers })
    }

    /// The position of the first column named any of `names` (lowercase).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.headers.iter().position(|h| names.contains(&h.as_str()))
    }
}
