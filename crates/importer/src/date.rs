//! Local date-times (exports carry no zone) and the per-file day/month order decision.

use std::fmt;

use serde::Serialize;

use crate::calendar::{jdn_to_gregorian, to_gregorian, Calendar};
use crate::header::RawHeader;

/// Which of the two non-year date components is the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// dd/mm (or yyyy/dd/mm).
    DayFirst,
    /// mm/dd (or yyyy/mm/dd).
    MonthFirst,
}

impl DateOrder {
    /// Stable name used in reports: `day_first` or `month_first`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day_first",
            DateOrder::MonthFirst => "month_first",
        }
    }
}

/// How the day/month order of a file was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrderBasis {
    /// The caller said so.
    Caller,
    /// A component greater than 12 showed which one is the day.
    ComponentAbove12,
    /// The component that changes more often was taken as the day.
    ChangeFrequency,
    /// Nothing told: day-first (month-first for year-first dates).
    Default,
    /// Every date names its month: the order does not matter.
    MonthNames,
}

/// A wall-clock date-time as written in the export, without a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    /// Year.
    pub year: u16,
    /// Month 1..=12.
    pub month: u8,
    /// Day 1..=31.
    pub day: u8,
    /// Hour 0..=23.
    pub hour: u8,
    /// Minute 0..=59.
    pub minute: u8,
    /// Second 0..=59.
    pub second: u8,
}

impl LocalDateTime {
    /// ISO 8601 without zone, e.g. `2019-01-30T20:49:00`.
    pub fn to_iso(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

impl Serialize for LocalDateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The header fields kept per message (10 bytes) until the file's date order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawStamp {
    x: u8,
    y: u8,
    year: u16,
    hour: u8,
    minute: u8,
    second: u8,
    flags: u8,
    calendar: Calendar,
}

const YEAR_FIRST: u8 = 1;
const MONTH_NAMED: u8 = 2;
/// The header had no year; the year stored was inferred (see [`infer_years`]).
const YEAR_INFERRED: u8 = 4;

impl RawStamp {
    /// Keeps the date and time parts of a header.
    pub(crate) fn of(h: &RawHeader) -> RawStamp {
        let mut flags = 0;
        if h.year_first {
            flags |= YEAR_FIRST;
        }
        if h.month_named {
            flags |= MONTH_NAMED;
        }
        if h.year == 0 {
            flags |= YEAR_INFERRED;
        }
        RawStamp {
            x: h.x,
            y: h.y,
            year: h.year,
            hour: h.hour,
            minute: h.minute,
            second: h.second,
            flags,
            calendar: h.calendar,
        }
    }

    /// True when the header had no year.
    pub(crate) fn year_inferred(&self) -> bool {
        self.flags & YEAR_INFERRED != 0
    }

    /// True when the month was a name, so the day/month order does not matter.
    pub(crate) fn month_named(&self) -> bool {
        self.flags & MONTH_NAMED != 0
    }

    /// The calendar the header was written in.
    pub(crate) fn calendar(&self) -> Calendar {
        self.calendar
    }

    /// Day and month (month-named dates: as written; others: under `order`).
    fn day_month(&self, order: DateOrder) -> (u8, u8) {
        if self.month_named() {
            return (self.x, self.y);
        }
        match order {
            DateOrder::DayFirst => (self.x, self.y),
            DateOrder::MonthFirst => (self.y, self.x),
        }
    }

    /// The Gregorian date-time under `order`, or `None` if that makes an impossible date.
    pub(crate) fn resolve(&self, order: DateOrder) -> Option<LocalDateTime> {
        let (day, month) = self.day_month(order);
        let (year, month, day) = if self.calendar.has_own_months() {
            to_gregorian(self.calendar, self.year, month, day)?
        } else {
            (self.year, month, day)
        };
        if year == 0 || month == 0 || month > 12 || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(LocalDateTime {
            year,
            month,
            day,
            hour: self.hour,
            minute: self.minute,
            second: self.second,
        })
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// Today's date (UTC), the default reference for headers without a year.
pub(crate) fn today() -> LocalDateTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    date_of_unix_seconds(secs)
}

/// The UTC date of a Unix time (seconds), at midnight.
pub(crate) fn date_of_unix_seconds(secs: u64) -> LocalDateTime {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let (year, month, day) = jdn_to_gregorian(2_440_588 + days);
    LocalDateTime {
        year: u16::try_from(year).unwrap_or(u16::MAX),
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
    }
}

/// Gives the stamps that have no year one, walking back from `reference` (the file's date, or
/// today): the last message is in the reference year unless its day comes after the reference
/// day; going back, a later day-of-year than the message after it means the year before.
/// A stamp with its own year resets the count.
pub(crate) fn infer_years<'a>(
    stamps: impl DoubleEndedIterator<Item = &'a mut RawStamp>,
    reference: (u16, u8, u8),
) {
    let (mut year, ref_month, ref_day) = reference;
    let mut next: (u8, u8) = (ref_month, ref_day);
    for s in stamps.rev() {
        if !s.year_inferred() {
            year = s.year;
            next = (s.y, s.x);
            if !s.month_named() {
                // Order unknown here: only the year is carried over.
                next = (12, 31);
            }
            continue;
        }
        let here = (s.y, s.x);
        if here > next {
            year = year.saturating_sub(1);
        }
        s.year = year;
        next = here;
    }
}

/// What a file's headers say about its day/month order, for the review to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct DateOrderEvidence {
    /// Headers with a numeric month (the ones the order matters for).
    pub numeric_dates: usize,
    /// Headers whose month was a name (`Mar`, `марта`): no ambiguity there.
    pub named_months: usize,
    /// Headers whose first day/month component is above 12 (so it is the day).
    pub first_above_12: usize,
    /// Headers whose second component is above 12.
    pub second_above_12: usize,
    /// How often the first component changed from one header to the next.
    pub first_changes: usize,
    /// How often the second component changed.
    pub second_changes: usize,
    /// Headers with the year first (`2019/01/30`).
    pub year_first: usize,
    /// True when nothing rules either order out (every numeric date ≤ 12 on both sides):
    /// the review should ask.
    pub ambiguous: bool,
}

/// Evidence gathered over a file's headers to decide its day/month order.
#[derive(Debug, Default, Clone)]
pub(crate) struct OrderEvidence {
    counts: DateOrderEvidence,
    last: Option<(u8, u8)>,
}

impl OrderEvidence {
    /// Takes one header into account.
    pub(crate) fn add(&mut self, h: &RawHeader) {
        let e = &mut self.counts;
        if h.month_named {
            e.named_months += 1;
            return;
        }
        e.numeric_dates += 1;
        e.first_above_12 += usize::from(h.x > 12);
        e.second_above_12 += usize::from(h.y > 12);
        e.year_first += usize::from(h.year_first);
        if let Some((x, y)) = self.last {
            e.first_changes += usize::from(x != h.x);
            e.second_changes += usize::from(y != h.y);
        }
        self.last = Some((h.x, h.y));
    }

    /// The counts, with `ambiguous` set.
    pub(crate) fn summary(&self) -> DateOrderEvidence {
        let mut e = self.counts;
        e.ambiguous = e.numeric_dates > 0 && e.first_above_12 == 0 && e.second_above_12 == 0;
        e
    }

    /// The order the evidence points to, and why.
    pub(crate) fn decide(&self) -> (DateOrder, DateOrderBasis) {
        let e = &self.counts;
        if e.numeric_dates == 0 && e.named_months > 0 {
            return (DateOrder::DayFirst, DateOrderBasis::MonthNames);
        }
        if e.first_above_12 != e.second_above_12 {
            let order = if e.first_above_12 > e.second_above_12 {
                DateOrder::DayFirst
            } else {
                DateOrder::MonthFirst
            };
            return (order, DateOrderBasis::ComponentAbove12);
        }
        if e.first_changes != e.second_changes {
            let order = if e.first_changes > e.second_changes {
                DateOrder::DayFirst
            } else {
                DateOrder::MonthFirst
            };
            return (order, DateOrderBasis::ChangeFrequency);
        }
        if e.year_first * 2 > e.numeric_dates {
            (DateOrder::MonthFirst, DateOrderBasis::Default)
        } else {
            (DateOrder::DayFirst, DateOrderBasis::Default)
        }
    }
}
