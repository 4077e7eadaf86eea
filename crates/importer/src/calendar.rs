//! The calendars a phone can write dates in, and their conversion to the Gregorian date.
//!
//! Calendars that share the Gregorian months and days (Buddhist, Japanese eras, Republic of
//! China) differ only in the year and are converted when the header is read; the others
//! (Islamic, Persian, Indian national, Coptic, Ethiopic) go through the Julian day number.

use serde::Serialize;

/// The calendar an export's dates were written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Calendar {
    /// Gregorian (most phones).
    #[default]
    Gregorian,
    /// Thai Buddhist Era (`2565 BE`, `พ.ศ. 2565`): Gregorian year + 543.
    Buddhist,
    /// Japanese imperial eras (`R4`, `令和4`, `H31`, `平成31`, `S64`).
    Japanese,
    /// Republic of China (Minguo, `民國111`): Gregorian year − 1911.
    RepublicOfChina,
    /// Islamic (Hijri), arithmetic (civil) months (`1443 AH`, `١٤٤٣ هـ`).
    Islamic,
    /// Persian Solar Hijri (`1401 AP`, Persian digits).
    Persian,
    /// Indian national (Saka) calendar (`1944 Saka`).
    Indian,
    /// Coptic calendar.
    Coptic,
    /// Ethiopic (Amete Mihret) calendar.
    Ethiopic,
}

impl Calendar {
    /// Stable name used in reports, e.g. `buddhist`.
    pub fn as_str(self) -> &'static str {
        match self {
            Calendar::Gregorian => "gregorian",
            Calendar::Buddhist => "buddhist",
            Calendar::Japanese => "japanese",
            Calendar::RepublicOfChina => "republic_of_china",
            Calendar::Islamic => "islamic",
            Calendar::Persian => "persian",
            Calendar::Indian => "indian",
            Calendar::Coptic => "coptic",
            Calendar::Ethiopic => "ethiopic",
        }
    }

    /// True when months and days are not the Gregorian ones (the date needs converting).
    pub(crate) fn has_own_months(self) -> bool {
        matches!(
            self,
            Calendar::Islamic
                | Calendar::Persian
                | Calendar::Indian
                | Calendar::Coptic
                | Calendar::Ethiopic
        )
    }
}

/// A Japanese era: its first Gregorian year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct JapaneseEra {
    /// Gregorian year of the era's first year (year 1 of the era).
    pub(crate) start: u16,
}

/// Japanese eras by the Latin initial iOS writes (`R4`) and by name (`令和4`).
pub(crate) const JAPANESE_ERAS: &[(&str, JapaneseEra)] = &[
    ("R", JapaneseEra { start: 2019 }),
    ("H", JapaneseEra { start: 1989 }),
    ("S", JapaneseEra { start: 1926 }),
    ("令和", JapaneseEra { start: 2019 }),
    ("平成", JapaneseEra { start: 1989 }),
    ("昭和", JapaneseEra { start: 1926 }),
];

/// The Gregorian year of `year` written in a calendar that differs only in its year count.
pub(crate) fn gregorian_year(
    calendar: Calendar,
    year: u32,
    era: Option<JapaneseEra>,
) -> Option<u32> {
    match calendar {
        Calendar::Buddhist => year.checked_sub(543),
        Calendar::Japanese => Some(u32::from(era?.start) + year.checked_sub(1)?),
        Calendar::RepublicOfChina => Some(year + 1911),
        _ => Some(year),
    }
}

/// Julian day number of a proleptic Gregorian date.
pub(crate) fn gregorian_to_jdn(year: i64, month: i64, day: i64) -> i64 {
    let a = (14 - month) / 12;
    let y = year + 4800 - a;
    let m = month + 12 * a - 3;
    day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
}

/// The proleptic Gregorian date of a Julian day number.
pub(crate) fn jdn_to_gregorian(jdn: i64) -> (i64, u8, u8) {
    let a = jdn + 32044;
    let b = (4 * a + 3) / 146_097;
    let c = a - 146_097 * b / 4;
    let d = (4 * c + 3) / 1461;
    let e = c - 1461 * d / 4;
    let m = (5 * e + 2) / 153;
    let day = e - (153 * m + 2) / 5 + 1;
    let month = m + 3 - 12 * (m / 10);
    let year = 100 * b + d - 4800 + m / 10;
    (year, month as u8, day as u8)
}

fn gregorian_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Converts a date of a calendar with its own months to the Gregorian `(year, month, day)`;
/// `None` for a day or month that does not exist there.
pub(crate) fn to_gregorian(
    calendar: Calendar,
    year: u16,
    month: u8,
    day: u8,
) -> Option<(u16, u8, u8)> {
    let (y, m, d) = (i64::from(year), i64::from(month), i64::from(day));
    if !(1..=13).contains(&m) || d < 1 {
        return None;
    }
    let jdn = match calendar {
        Calendar::Islamic => islamic_to_jdn(y, m, d)?,
        Calendar::Persian => persian_to_jdn(y, m, d)?,
        Calendar::Indian => indian_to_jdn(y, m, d)?,
        Calendar::Coptic => alexandrian_to_jdn(COPTIC_EPOCH, y, m, d)?,
        Calendar::Ethiopic => alexandrian_to_jdn(ETHIOPIC_EPOCH, y, m, d)?,
        _ => return None,
    };
    let (gy, gm, gd) = jdn_to_gregorian(jdn);
    Some((u16::try_from(gy).ok()?, gm, gd))
}

/// Julian day number before 1 Muharram 1 AH (arithmetic calendar, Friday epoch).
const ISLAMIC_EPOCH: i64 = 1_948_439;

/// Arithmetic Islamic calendar: 30-year cycle of 11 leap years, months of 30 and 29 days.
fn islamic_to_jdn(y: i64, m: i64, d: i64) -> Option<i64> {
    if m > 12 {
        return None;
    }
    let leap = (14 + 11 * y) % 30 < 11;
    let month_len = if m % 2 == 1 || (m == 12 && leap) {
        30
    } else {
        29
    };
    if d > month_len {
        return None;
    }
    Some(d + (59 * (m - 1) + 1) / 2 + (y - 1) * 354 + (3 + 11 * y) / 30 + ISLAMIC_EPOCH)
}

/// Persian year in which Nowruz fell on 21 March 2021 (Gregorian), the anchor of the count.
const PERSIAN_ANCHOR_YEAR: i64 = 1400;

/// Leap years of the Solar Hijri calendar by its 33-year arithmetic rule, which matches the
/// astronomical calendar of Iran throughout 1244–1403 AP and beyond (to within its rare drift).
fn persian_leap(y: i64) -> bool {
    (25 * y + 11).rem_euclid(33) < 8
}

fn persian_to_jdn(y: i64, m: i64, d: i64) -> Option<i64> {
    if m > 12 {
        return None;
    }
    let month_len = match m {
        1..=6 => 31,
        7..=11 => 30,
        _ if persian_leap(y) => 30,
        _ => 29,
    };
    if d > month_len {
        return None;
    }
    let mut nowruz = gregorian_to_jdn(2021, 3, 21);
    let (lo, hi) = if y >= PERSIAN_ANCHOR_YEAR {
        (PERSIAN_ANCHOR_YEAR, y)
    } else {
        (y, PERSIAN_ANCHOR_YEAR)
    };
    let days: i64 = (lo..hi).map(|yr| 365 + i64::from(persian_leap(yr))).sum();
    nowruz += if y >= PERSIAN_ANCHOR_YEAR {
        days
    } else {
        -days
    };
    let before = if m <= 7 {
        (m - 1) * 31
    } else {
        186 + (m - 7) * 30
    };
    Some(nowruz + before + d - 1)
}

/// Indian national calendar: year = Saka + 78; 1 Chaitra is 22 March (21 in Gregorian leap years).
fn indian_to_jdn(y: i64, m: i64, d: i64) -> Option<i64> {
    if m > 12 {
        return None;
    }
    let gy = y + 78;
    let leap = gregorian_leap(gy);
    let chaitra = if leap { 31 } else { 30 };
    let month_len = match m {
        1 => chaitra,
        2..=6 => 31,
        _ => 30,
    };
    if d > month_len {
        return None;
    }
    let start = gregorian_to_jdn(gy, 3, if leap { 21 } else { 22 });
    let before = match m {
        1 => 0,
        2..=6 => chaitra + (m - 2) * 31,
        _ => chaitra + 5 * 31 + (m - 7) * 30,
    };
    Some(start + before + d - 1)
}

/// Julian day number before 1 Thout 1 (Coptic, 29 August 284 Julian).
const COPTIC_EPOCH: i64 = 1_825_029;
/// Julian day number before 1 Meskerem 1 (Ethiopic Amete Mihret, 29 August 8 Julian).
const ETHIOPIC_EPOCH: i64 = 1_724_220;

/// Coptic and Ethiopic: twelve months of 30 days and a 13th of 5 (6 in every fourth year).
fn alexandrian_to_jdn(epoch: i64, y: i64, m: i64, d: i64) -> Option<i64> {
    let month_len = if m == 13 {
        if y % 4 == 3 {
            6
        } else {
            5
        }
    } else {
        30
    };
    if d > month_len {
        return None;
    }
    Some(epoch + 365 * (y - 1) + y / 4 + 30 * (m - 1) + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(c: Calendar, y: u16, m: u8, d: u8) -> Option<(u16, u8, u8)> {
        to_gregorian(c, y, m, d)
    }

    #[test]
    fn julian_day_numbers_round_trip() {
        assert_eq!(gregorian_to_jdn(2000, 1, 1), 2_451_545);
        for jdn in [2_440_588, 2_451_545, 2_459_791, 2_460_000, 2_470_000] {
            let (y, m, d) = jdn_to_gregorian(jdn);
            assert_eq!(gregorian_to_jdn(y, i64::from(m), i64::from(d)), jdn);
        }
    }

    #[test]
    fn islamic_dates_match_known_days() {
        // 1 Muharram 1444 AH = 30 July 2022 and 1 Muharram 1445 = 19 July 2023 (arithmetic and
        // Umm al-Qura agree); 1 Ramadan 1443 is 3 April 2022 in the arithmetic calendar (Umm
        // al-Qura began it on 2 April: the two may differ by a day).
        assert_eq!(g(Calendar::Islamic, 1444, 1, 1), Some((2022, 7, 30)));
        assert_eq!(g(Calendar::Islamic, 1445, 1, 1), Some((2023, 7, 19)));
        assert_eq!(g(Calendar::Islamic, 1443, 9, 1), Some((2022, 4, 3)));
        assert_eq!(
            g(Calendar::Islamic, 1445, 12, 30),
            Some((2024, 7, 7)),
            "1445 is a leap year"
        );
        assert_eq!(g(Calendar::Islamic, 1444, 2, 30), None, "Safar has 29 days");
        assert_eq!(g(Calendar::Islamic, 1444, 13, 1), None);
    }

    #[test]
    fn persian_dates_match_known_days() {
        // Nowruz 1401 = 21 March 2022, Nowruz 1403 = 20 March 2024, 1 Dey 1402 = 22 Dec 2023,
        // 30 Esfand 1399 (a leap year) = 20 March 2021, 1 Farvardin 1398 = 21 March 2019.
        assert_eq!(g(Calendar::Persian, 1401, 1, 1), Some((2022, 3, 21)));
        assert_eq!(g(Calendar::Persian, 1403, 1, 1), Some((2024, 3, 20)));
        assert_eq!(g(Calendar::Persian, 1402, 10, 1), Some((2023, 12, 22)));
        assert_eq!(g(Calendar::Persian, 1399, 12, 30), Some((2021, 3, 20)));
        assert_eq!(g(Calendar::Persian, 1398, 1, 1), Some((2019, 3, 21)));
        assert_eq!(
            g(Calendar::Persian, 1400, 12, 30),
            None,
            "1400 is not a leap year"
        );
        assert_eq!(g(Calendar::Persian, 1401, 7, 31), None, "Mehr has 30 days");
    }

    #[test]
    fn indian_coptic_and_ethiopic_dates_match_known_days() {
        // 1 Chaitra 1944 Saka = 22 March 2022; 1 Chaitra 1942 = 21 March 2020 (leap year).
        assert_eq!(g(Calendar::Indian, 1944, 1, 1), Some((2022, 3, 22)));
        assert_eq!(g(Calendar::Indian, 1942, 1, 1), Some((2020, 3, 21)));
        assert_eq!(g(Calendar::Indian, 1944, 10, 11), Some((2023, 1, 1)));
        // Ethiopic New Year 2015 = 11 September 2022; Coptic 1 Thout 1739 = 11 September 2022.
        assert_eq!(g(Calendar::Ethiopic, 2015, 1, 1), Some((2022, 9, 11)));
        assert_eq!(g(Calendar::Coptic, 1739, 1, 1), Some((2022, 9, 11)));
        // 2015 had six Pagume days, so 2016 began on 12 September 2023 and its Genna
        // (Christmas, 28 Tahsas that year) fell on 7 January 2024.
        assert_eq!(g(Calendar::Ethiopic, 2015, 13, 6), Some((2023, 9, 11)));
        assert_eq!(g(Calendar::Ethiopic, 2016, 1, 1), Some((2023, 9, 12)));
        assert_eq!(g(Calendar::Ethiopic, 2016, 4, 28), Some((2024, 1, 7)));
        assert_eq!(
            g(Calendar::Ethiopic, 2016, 13, 6),
            None,
            "2016 ends with 5 Pagume days"
        );
    }

    #[test]
    fn year_only_calendars_shift_the_year() {
        assert_eq!(gregorian_year(Calendar::Buddhist, 2565, None), Some(2022));
        let reiwa = JAPANESE_ERAS
            .iter()
            .find(|(n, _)| *n == "令和")
            .map(|e| e.1);
        assert_eq!(gregorian_year(Calendar::Japanese, 4, reiwa), Some(2022));
        let heisei = JAPANESE_ERAS.iter().find(|(n, _)| *n == "H").map(|e| e.1);
        assert_eq!(gregorian_year(Calendar::Japanese, 31, heisei), Some(2019));
        assert_eq!(
            gregorian_year(Calendar::RepublicOfChina, 111, None),
            Some(2022)
        );
    }
}
