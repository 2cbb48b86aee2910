//! Dates as precise as their source gives them (`2022`, `2022-08`, `2022-08-05`): parsed
//! from content, compared, and written in ISO, feed and English reading forms. A content
//! type: validation checks dates with it, and the model and render keep and show them.

use super::DateValue;

/// English month names, January first (dates shown to readers and in messages).
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as precise as the source gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    pub fn parse(s: &str) -> Option<PartialDate> {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok())?
        };
        let year = num(parts.first()?, 4)? as i32;
        let month = match parts.get(1) {
            Some(m) => Some(num(m, 2).filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => {
                let d = num(d, 2)?;
                if !(1..=days_in_month(year, month?)).contains(&d) {
                    return None;
                }
                Some(d)
            }
            None => None,
        };
        if parts.len() > 3 {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    pub fn from_value(v: &DateValue) -> Option<PartialDate> {
        match v {
            DateValue::Year(y) if (1000..=9999).contains(y) => Some(PartialDate {
                year: *y as i32,
                month: None,
                day: None,
            }),
            DateValue::Year(_) => None,
            DateValue::Text(s) => PartialDate::parse(s.trim()),
        }
    }

    /// ISO form with the precision given: `2022`, `2022-08`, `2022-08-05`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// For feeds, which need a full timestamp: the first day of the period given.
    pub fn rfc3339_start(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }

    /// Human form, in English: "2022", "August 2022", "5 August 2022".
    pub fn display(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS_EN[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS_EN[m as usize - 1], self.year),
            _ => self.year.to_string(),
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        assert_eq!(PartialDate::parse("2022").unwrap().iso(), "2022");
        assert_eq!(
            PartialDate::parse("2022-08").unwrap().display(),
            "August 2022"
        );
        assert_eq!(
            PartialDate::parse("2024-02-29").unwrap().iso(),
            "2024-02-29"
        );
        for bad in [
            "2023-02-29",
            "2022-13",
            "22-01",
            "2022-8",
            "2022-08-01-01",
            "soon",
            "",
        ] {
            assert!(PartialDate::parse(bad).is_none(), "{bad}");
        }
    }
}
