//! Local date-times (exports carry no zone) and the per-file day/month order decision.

use std::fmt;

use serde::Serialize;

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

/// The header fields kept per message (8 bytes) until the file's date order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawStamp {
    x: u8,
    y: u8,
    year: u16,
    hour: u8,
    minute: u8,
    second: u8,
    year_first: bool,
}

impl RawStamp {
    /// Keeps the date and time parts of a header.
    pub(crate) fn of(h: &RawHeader) -> RawStamp {
        RawStamp {
            x: h.x,
            y: h.y,
            year: h.year,
            hour: h.hour,
            minute: h.minute,
            second: h.second,
            year_first: h.year_first,
        }
    }

    /// The date-time under `order`, or `None` if that makes an impossible date.
    pub(crate) fn resolve(&self, order: DateOrder) -> Option<LocalDateTime> {
        let (day, month) = match order {
            DateOrder::DayFirst => (self.x, self.y),
            DateOrder::MonthFirst => (self.y, self.x),
        };
        if month == 0 || month > 12 || day == 0 || day > days_in_month(self.year, month) {
            return None;
        }
        Some(LocalDateTime {
            year: self.year,
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

/// Evidence gathered over a file's headers to decide its day/month order.
#[derive(Debug, Default, Clone)]
pub(crate) struct OrderEvidence {
    x_above_12: usize,
    y_above_12: usize,
    x_changes: usize,
    y_changes: usize,
    year_first: usize,
    headers: usize,
    last: Option<(u8, u8)>,
}

impl OrderEvidence {
    /// Takes one header into account.
    pub(crate) fn add(&mut self, h: &RawHeader) {
        self.headers += 1;
        if h.x > 12 {
            self.x_above_12 += 1;
        }
        if h.y > 12 {
            self.y_above_12 += 1;
        }
        if h.year_first {
            self.year_first += 1;
        }
        if let Some((x, y)) = self.last {
            if x != h.x {
                self.x_changes += 1;
            }
            if y != h.y {
                self.y_changes += 1;
            }
        }
        self.last = Some((h.x, h.y));
    }

    /// The order the evidence points to, and why.
    pub(crate) fn decide(&self) -> (DateOrder, DateOrderBasis) {
        if self.x_above_12 != self.y_above_12 {
            let order = if self.x_above_12 > self.y_above_12 {
                DateOrder::DayFirst
            } else {
                DateOrder::MonthFirst
            };
            return (order, DateOrderBasis::ComponentAbove12);
        }
        if self.x_changes != self.y_changes {
            let order = if self.x_changes > self.y_changes {
                DateOrder::DayFirst
            } else {
                DateOrder::MonthFirst
            };
            return (order, DateOrderBasis::ChangeFrequency);
        }
        if self.year_first * 2 > self.headers {
            (DateOrder::MonthFirst, DateOrderBasis::Default)
        } else {
            (DateOrder::DayFirst, DateOrderBasis::Default)
        }
    }
}
