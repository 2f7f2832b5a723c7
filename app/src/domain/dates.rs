//! Showing times to staff.

use time::OffsetDateTime;

/// A time as staff read it, in UTC: `2026-11-22 14:05 UTC`.
pub fn readable_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_to_the_minute_in_utc() {
        let t = time::macros::datetime!(2026-11-22 14:05:59 +02:00);
        assert_eq!(readable_time(t), "2026-11-22 12:05 UTC");
    }
}
