//! The date part of a header: three numbers (`13/06/2018`, `2018年6月13日`), a month name
//! (`18 Mar`, `Mar 5, 2020`, `28 Aug 2013`), an era of another calendar (`R4/3/5`, `2565 BE`,
//! `١٤٤٣ هـ`), or no year at all.

use crate::calendar::{gregorian_year, Calendar, JapaneseEra, JAPANESE_ERAS};
use crate::cursor::Cur;
use crate::names::{month_name, starts_with_ci, ERA_PREFIXES, ERA_SUFFIXES};

/// What the header's date says before the file's day/month order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DatePart {
    /// First day/month component as written (the day when `month_named`).
    pub(crate) x: u8,
    /// Second day/month component (the month when `month_named`).
    pub(crate) y: u8,
    /// Year: Gregorian, or the calendar's own for calendars with their own months; 0 if missing.
    pub(crate) year: u16,
    /// The year came first.
    pub(crate) year_first: bool,
    /// The month was a name (or marked `月`): no day/month ambiguity.
    pub(crate) month_named: bool,
    /// The calendar the date is written in.
    pub(crate) calendar: Calendar,
}

/// What the line around the date tells about its calendar.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CalendarHints {
    /// The caller's calendar for years outside the Gregorian range with no era mark.
    pub(crate) forced: Option<Calendar>,
    /// The digits were Extended Arabic-Indic (Persian), e.g. `۱۴۰۱`.
    pub(crate) persian_digits: bool,
}

/// A date starting at the cursor, in any of the supported shapes.
pub(crate) fn date(c: &mut Cur<'_>, hints: CalendarHints) -> Option<DatePart> {
    let start = c.i;
    match c.peek()? {
        b'0'..=b'9' => {
            if let Some(d) = numeric(c, None, hints) {
                return Some(d);
            }
            c.i = start;
            day_then_month_name(c)
        }
        _ => {
            if let Some(d) = era_prefixed(c, hints) {
                return Some(d);
            }
            c.i = start;
            month_name_then_day(c)
        }
    }
}

/// `13/06/2018`, `13.6.18`, `2018-06-13`, `13. 6. 2018.`, `2018年6月13日`, `2565/3/5 BE`.
fn numeric(
    c: &mut Cur<'_>,
    era: Option<(Calendar, Option<JapaneseEra>)>,
    hints: CalendarHints,
) -> Option<DatePart> {
    let (n1, d1) = c.number(4)?;
    if let Some(d) = cjk(c, (n1, d1), era, hints) {
        return Some(d);
    }
    let sep = c.peek().filter(|b| matches!(b, b'/' | b'.' | b'-'))?;
    c.i += 1;
    c.eat(b' ');
    let (n2, d2) = c.number(4)?;
    if !c.eat(sep) {
        return None;
    }
    c.eat(b' ');
    let (n3, d3) = c.number(4)?;
    c.eat(b'.');
    let numbers = [(n1, d1), (n2, d2), (n3, d3)];
    let (era, year_at) = match era {
        Some(e) => (Some(e), Some(0)),
        None => match era_suffix(c) {
            Some(e) => (Some(e), None),
            None => (None, None),
        },
    };
    let (x, y, raw_year, digits, yi) = date_parts(numbers, year_at)?;
    let (year, calendar) = settle_year(raw_year, digits, era, hints)?;
    Some(DatePart {
        x,
        y,
        year,
        year_first: yi == 0,
        month_named: false,
        calendar,
    })
}

/// `2018年6月13日` (Chinese, Japanese) and `2018년 6월 13일` (Korean): year, month, day marked.
fn cjk(
    c: &mut Cur<'_>,
    first: (u32, usize),
    era: Option<(Calendar, Option<JapaneseEra>)>,
    hints: CalendarHints,
) -> Option<DatePart> {
    // 年 and 년 start with these bytes; anything else is not a marked date.
    if !matches!(c.peek(), Some(0xE5 | 0xEB)) {
        return None;
    }
    let marks: [[&str; 3]; 2] = [["年", "月", "日"], ["년", "월", "일"]];
    let rest = c.text(4);
    let set = marks.iter().find(|m| rest.starts_with(m[0]))?;
    let save = c.i;
    c.i += set[0].len();
    c.spaces();
    let parsed = (|| {
        let (month, _) = c.number(2)?;
        c.text(4).starts_with(set[1]).then_some(())?;
        c.i += set[1].len();
        c.spaces();
        let (day, _) = c.number(2)?;
        c.text(4).starts_with(set[2]).then_some(())?;
        c.i += set[2].len();
        Some((month, day))
    })();
    let Some((month, day)) = parsed else {
        c.i = save;
        return None;
    };
    let (year, calendar) = settle_year(first.0, first.1, era, hints)?;
    let (x, y) = (u8::try_from(day).ok()?, u8::try_from(month).ok()?);
    (1..=31).contains(&x).then_some(())?;
    (1..=13).contains(&y).then_some(())?;
    Some(DatePart {
        x,
        y,
        year,
        year_first: true,
        month_named: true,
        calendar,
    })
}

/// `R4/3/5`, `令和4/03/05`, `令和4年3月5日`, `民國111/3/5`, `พ.ศ. 2565/3/5`.
fn era_prefixed(c: &mut Cur<'_>, hints: CalendarHints) -> Option<DatePart> {
    let rest = c.text(16);
    let japanese = JAPANESE_ERAS
        .iter()
        .find(|(name, _)| {
            rest.starts_with(name) && rest[name.len()..].starts_with(|ch: char| ch.is_ascii_digit())
        })
        .map(|(name, era)| (name.len(), (Calendar::Japanese, Some(*era))));
    let other = || {
        ERA_PREFIXES.iter().find_map(|(name, cal)| {
            let len = starts_with_ci(rest, name)?;
            Some((len, (*cal, None)))
        })
    };
    let (len, era) = japanese.or_else(other)?;
    c.i += len;
    c.spaces();
    numeric(c, Some(era), hints)
}

/// An era mark after the date (`2565 BE`, `1443 AH`, `١٤٤٣ هـ`), consumed when present.
fn era_suffix(c: &mut Cur<'_>) -> Option<(Calendar, Option<JapaneseEra>)> {
    let save = c.i;
    if c.spaces() == 0 || c.peek().is_none_or(|b| b.is_ascii_digit()) {
        c.i = save;
        return None;
    }
    let rest = c.text(16);
    let found = ERA_SUFFIXES.iter().find_map(|(name, cal)| {
        let len = starts_with_ci(rest, name)?;
        let boundary = rest[len..]
            .chars()
            .next()
            .is_none_or(|ch| !ch.is_alphabetic());
        boundary.then_some((len, *cal))
    });
    match found {
        Some((len, cal)) => {
            c.i += len;
            Some((cal, None))
        }
        None => {
            c.i = save;
            None
        }
    }
}

/// `18 Mar`, `28 Aug 2013`, `5. März 2023`, `18 мар. 2023 г.`.
fn day_then_month_name(c: &mut Cur<'_>) -> Option<DatePart> {
    let (day, _) = c.number(2)?;
    c.eat(b'.');
    if c.spaces() == 0 {
        return None;
    }
    let (month, len) = month_name(c.text(48))?;
    c.i += len;
    let year = optional_year(c, false);
    named(day, month, year)
}

/// `Mar 5`, `Mar 5, 2020`, `March 5 2020`.
fn month_name_then_day(c: &mut Cur<'_>) -> Option<DatePart> {
    let (month, len) = month_name(c.text(48))?;
    c.i += len;
    if c.spaces() == 0 {
        return None;
    }
    let (day, _) = c.number(2)?;
    let year = optional_year(c, true);
    named(day, month, year)
}

/// A four-digit year after a month name (`, 2020`, ` 2013`, ` 2023 г.`); a number that goes on
/// as a time (`12:14`) is left alone.
fn optional_year(c: &mut Cur<'_>, comma: bool) -> Option<u16> {
    let save = c.i;
    if comma {
        c.eat(b',');
    }
    if c.spaces() == 0 {
        c.i = save;
        return None;
    }
    match c.number(4) {
        Some((y, 4)) if !matches!(c.peek(), Some(b':' | b'.')) && (1970..=2199).contains(&y) => {
            // Russian writes "г." (year) after it.
            let after = c.i;
            c.spaces();
            if c.text(4).starts_with("г.") {
                c.i += "г.".len();
            } else {
                c.i = after;
            }
            Some(y as u16)
        }
        _ => {
            c.i = save;
            None
        }
    }
}

fn named(day: u32, month: u8, year: Option<u16>) -> Option<DatePart> {
    if !(1..=31).contains(&day) {
        return None;
    }
    Some(DatePart {
        x: day as u8,
        y: month,
        year: year.unwrap_or(0),
        year_first: false,
        month_named: true,
        calendar: Calendar::Gregorian,
    })
}

/// Finds the year among three date numbers (`year_at` when an era mark placed it) and returns
/// the other two in written order, the year, its digit count and its position.
fn date_parts(n: [(u32, usize); 3], year_at: Option<usize>) -> Option<(u8, u8, u32, usize, usize)> {
    let long = |i: usize| n[i].1 >= 3;
    let yi = match (year_at, long(0), long(1), long(2)) {
        (Some(i), ..) => i,
        (None, true, false, false) => 0,
        (None, false, true, false) => 1,
        (None, false, false, true) => 2,
        (None, false, false, false) if n[0].0 > 31 => 0,
        (None, false, false, false) => 2,
        _ => return None,
    };
    let ((a, ad), (b, bd)) = match yi {
        0 => (n[1], n[2]),
        1 => (n[0], n[2]),
        _ => (n[0], n[1]),
    };
    if ad > 2 || bd > 2 || a == 0 || b == 0 || a > 31 || b > 31 || (a > 12 && b > 12) {
        return None;
    }
    Some((a as u8, b as u8, n[yi].0, n[yi].1, yi))
}

/// The year as stored and the calendar, from the written year, its digits and any era mark.
fn settle_year(
    raw: u32,
    digits: usize,
    era: Option<(Calendar, Option<JapaneseEra>)>,
    hints: CalendarHints,
) -> Option<(u16, Calendar)> {
    let calendar = match (era, hints.forced) {
        (Some((cal, _)), _) => cal,
        (None, _) if digits <= 2 => {
            return Some((u16::try_from(raw + 2000).ok()?, Calendar::Gregorian))
        }
        (None, _) if (1970..=2199).contains(&raw) => Calendar::Gregorian,
        (None, _) if (2513..=2742).contains(&raw) => Calendar::Buddhist,
        (None, Some(forced)) => forced,
        (None, None) if (1300..=1650).contains(&raw) && hints.persian_digits => Calendar::Persian,
        (None, None) if (1300..=1650).contains(&raw) => Calendar::Islamic,
        (None, None) => return None,
    };
    if calendar.has_own_months() {
        let plausible = match calendar {
            Calendar::Islamic => 1389..=1650,
            Calendar::Persian => 1348..=1578,
            Calendar::Indian => 1892..=2121,
            _ => 1686..=2100,
        };
        return plausible.contains(&raw).then_some((raw as u16, calendar));
    }
    let year = gregorian_year(calendar, raw, era.and_then(|e| e.1))?;
    (1970..=2199)
        .contains(&year)
        .then_some((year as u16, calendar))
}
