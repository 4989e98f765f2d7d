//! Where today, this week and this month begin in the user's local calendar.
//!
//! The time zone is the operating system's, with its full rules (`jiff`: `/etc/localtime` or `TZ` on
//! Linux and macOS, the system setting on Windows), read at each call so a change of zone or a laptop
//! travelling is followed. A fixed offset taken "now" would put every job before a DST change of this
//! month or week an hour off, so the boundaries are local midnights resolved each in their own offset.
//!
//! DST: a day is from one local midnight to the next, so it lasts 23 or 25 hours on the days the clocks
//! change. Where midnight itself does not exist (zones that spring forward at 00:00), the day starts at
//! the first instant after the gap; where it happens twice (falling back at 00:00), at the first.
//! If the OS's zone cannot be read at all, UTC is used (and logged), never a guess.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;

/// Unix milliseconds at which each period began, for the instant it was computed at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, specta::Type)]
pub struct Periods {
    #[specta(type = f64)]
    pub day_start: i64,
    /// Monday, local midnight.
    #[specta(type = f64)]
    pub week_start: i64,
    /// The 1st of the month, local midnight.
    #[specta(type = f64)]
    pub month_start: i64,
}

impl Periods {
    /// The periods around `now_ms` in `zone`.
    pub fn at(now_ms: i64, zone: &TimeZone) -> Self {
        let now = Timestamp::from_millisecond(now_ms).unwrap_or(Timestamp::UNIX_EPOCH);
        let today = now.to_zoned(zone.clone()).date();
        let monday = today
            .checked_sub(jiff::Span::new().days(i64::from(today.weekday().to_monday_zero_offset())))
            .unwrap_or(today);
        Self {
            day_start: midnight(today, zone),
            week_start: midnight(monday, zone),
            month_start: midnight(today.first_of_month(), zone),
        }
    }

    /// The earliest of the three: every period's jobs were sent at or after it.
    pub fn earliest(&self) -> i64 {
        self.week_start.min(self.month_start)
    }
}

/// The first instant of `date` in `zone` (see the module doc for days without a midnight).
fn midnight(date: Date, zone: &TimeZone) -> i64 {
    // `to_zoned` resolves a gap forward and a fold to its earlier instant ("compatible").
    date.to_zoned(zone.clone())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or_else(|_| {
            date.to_zoned(TimeZone::UTC)
                .map(|z| z.timestamp().as_millisecond())
                .unwrap_or(0)
        })
}

/// The operating system's time zone; UTC when it cannot be read.
pub fn local_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or_else(|e| {
        tracing::warn!("the local time zone could not be read, using UTC: {e}");
        TimeZone::UTC
    })
}
