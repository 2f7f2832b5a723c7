//! A city's address points (open data: one row per address with its longitude and latitude), so
//! that a resident can find their area by typing their street address. The file is read and
//! checked here; the service places each point in an area and keeps only the address and the
//! area's key.

/// The longest address kept.
pub const MAX_ADDRESS_CHARS: usize = 200;
/// The fewest characters a resident types before addresses are looked up.
pub const MIN_QUERY_CHARS: usize = 3;
/// How many addresses a lookup returns.
pub const MAX_MATCHES: u64 = 8;

/// One address point of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressPoint {
    pub address: String,
    pub longitude: f64,
    pub latitude: f64,
}

/// What is searched: lowercase letters and digits, words separated by one space ("600 E. 4th
/// St" → "600 e 4th st"), so that punctuation and capitals never matter.
pub fn search_key(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads an address points file: a header naming an address column (`address`, `full_address`
/// or `addr`) and longitude and latitude columns (`longitude`/`lon`/`lng`/`x`,
/// `latitude`/`lat`/`y`). Every problem is reported with its line.
pub fn read_address_points(text: &str) -> Result<Vec<AddressPoint>, Vec<String>> {
    let mut table = super::csv_table::CsvTable::open(text)?;
    let column = |names: &[&str]| table.column(names);
    let (Some(address), Some(longitude), Some(latitude)) = (
        column(&["address", "full_address", "addr"]),
        column(&["longitude", "lon", "lng", "x"]),
        column(&["latitude", "lat", "y"]),
    ) else {
        return Err(vec!["Line 1: the file needs address, longitude and latitude columns.".to_owned()]);
    };
    let mut points = Vec::new();
    let mut problems = Vec::new();
    for (index, record) in table.reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(format!("Line {line}: cannot be read ({e})."));
                continue;
            }
        };
        let text = record.get(address).unwrap_or_default();
        if text.is_empty() && record.iter().all(str::is_empty) {
            continue;
        }
        let number =
            |column: usize| record.get(column).unwrap_or_default().parse::<f64>().ok().filter(|n| n.is_finite());
        match (number(longitude), number(latitude)) {
            _ if text.is_empty() || search_key(text).is_empty() => problems.push(format!("Line {line}: no address.")),
            _ if text.chars().count() > MAX_ADDRESS_CHARS => {
                problems.push(format!("Line {line}: the address is longer than {MAX_ADDRESS_CHARS} characters."))
            }
            (Some(lon), Some(lat)) if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) => {
                points.push(AddressPoint { address: text.to_owned(), longitude: lon, latitude: lat })
            }
            _ => problems.push(format!("Line {line}: the longitude and latitude are not a place on Earth.")),
        }
    }
    if problems.is_empty() { Ok(points) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_capitals_never_matter_in_a_search() {
        assert_eq!(search_key("600 E. 4th St, Charlotte"), "600 e 4th st charlotte");
        assert_eq!(search_key("  1900  THE plaza #2 "), "1900 the plaza 2");
        assert_eq!(search_key("%_"), "");
    }

    #[test]
    fn an_address_file_is_read_with_every_problem_reported() {
        let good =
            read_address_points("Address,Lon,Lat\n600 E 4th St,-80.8387,35.2219\n\n1900 The Plaza,-80.806,35.227\n")
                .expect("good");
        assert_eq!(good.len(), 2);
        assert_eq!(good[0], AddressPoint { address: "600 E 4th St".into(), longitude: -80.8387, latitude: 35.2219 });
        let problems = read_address_points("address,longitude,latitude\n,1,2\n1 Main St,east,2\n2 Main St,-80,95\n")
            .expect_err("refused");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("Line 2:")
                && problems[1].starts_with("Line 3:")
                && problems[2].starts_with("Line 4:")
        );
        assert!(
            read_address_points("street,x\n1 Main,2\n").expect_err("no columns")[0]
                .contains("address, longitude and latitude")
        );
    }
}
