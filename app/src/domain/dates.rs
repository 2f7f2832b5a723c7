//! Showing times to staff.

use time::OffsetDateTime;

/// A time as staff read it, in UTC: `2026-11-22 14:05 UTC`.
pub fn readable_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}

/// Reads a time as a `datetime-local` field sends it (`2026-03-01T08:00`, seconds optional),
/// taken as UTC. Blank means "no time".
pub fn parse_utc_minute(input: &str) -> Result<Option<OffsetDateTime>, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let with_seconds = if input.len() == 16 { format!("{input}:00") } else { input.to_owned() };
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    time::PrimitiveDateTime::parse(&with_seconds, format)
        .map(|t| Some(t.assume_utc()))
        .map_err(|_| format!("\"{input}\" is not a date and time such as 2026-03-01T08:00."))
}

/// A time as a `datetime-local` field shows it (UTC): `2026-03-01T08:00`.
pub fn utc_minute_field(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_fields_read_and_write_as_utc() {
        let t = parse_utc_minute("2026-03-01T08:05").expect("valid").expect("a time");
        assert_eq!(utc_minute_field(t), "2026-03-01T08:05");
        assert_eq!(parse_utc_minute(" ").expect("blank"), None);
        assert!(parse_utc_minute("2026-02-30T08:00").is_err());
        assert!(parse_utc_minute("tomorrow").is_err());
    }

    #[test]
    fn times_are_shown_to_the_minute_in_utc() {
        let t = time::macros::datetime!(2026-11-22 14:05:59 +02:00);
        assert_eq!(readable_time(t), "2026-11-22 12:05 UTC");
    }
}
