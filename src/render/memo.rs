//! Template values that read the same in every language of the site (JSON-LD, which
//! keeps the default language's names and words), made once for all the languages of a
//! page instead of once per language. Comparison pages and overviews are not among them:
//! they name countries and regions in the page's language.
//!
//! A value is kept only until every language's page has taken it. `build` renders the
//! languages' pages in parallel, in step with each other, so only a few are held at once.
//! A country's answers view is not kept: it is the largest value of all, and holding it
//! for the other language raised the build's peak memory by about 10 MB.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Mutex;

use tera::Value;

/// Which language-independent value: indexes into the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// A country's JSON-LD.
    CountryJsonLd(usize),
    /// A document's JSON-LD.
    DocumentJsonLd(usize),
}

/// The values made so far and not yet taken by every language.
pub struct Memo {
    languages: usize,
    values: Mutex<HashMap<Key, (Value, usize)>>,
}

impl Memo {
    /// A memo for pages in `languages` languages: each value is asked for that many times.
    pub fn new(languages: usize) -> Memo {
        Memo {
            languages,
            values: Mutex::new(HashMap::new()),
        }
    }

    /// The value of `key`, made by `make` when no other language has made it yet. `make`
    /// must not depend on the language: whichever language comes first makes the value
    /// all of them show.
    pub fn get(&self, key: Key, make: impl FnOnce() -> Value) -> Value {
        if self.languages < 2 {
            return make();
        }
        if let Some(v) = take(&mut self.lock(), key) {
            return v;
        }
        // Made outside the lock: pages of other keys go on meanwhile.
        let v = make();
        let mut values = self.lock();
        // Another language may have made it at the same moment (the two are equal): then
        // this counts as taking that one.
        if take(&mut values, key).is_none() {
            values.insert(key, (v.clone(), self.languages - 1));
        }
        v
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, (Value, usize)>> {
        self.values.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many values are held (made, and not yet taken by every language).
    #[cfg(test)]
    fn held(&self) -> usize {
        self.lock().len()
    }
}

/// Take a made value from `values`, dropping it when this is its last language.
fn take(values: &mut HashMap<Key, (Value, usize)>, key: Key) -> Option<Value> {
    let Entry::Occupied(mut e) = values.entry(key) else {
        return None;
    };
    e.get_mut().1 -= 1;
    Some(if e.get().1 == 0 {
        e.remove().0
    } else {
        e.get().0.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_value_is_made_once_and_dropped_after_every_language_took_it() {
        let memo = Memo::new(2);
        let made = Cell::new(0);
        let make = || {
            made.set(made.get() + 1);
            Value::from("answers")
        };
        assert_eq!(
            memo.get(Key::CountryJsonLd(3), make).as_str(),
            Some("answers")
        );
        assert_eq!(memo.held(), 1);
        assert_eq!(
            memo.get(Key::CountryJsonLd(3), make).as_str(),
            Some("answers")
        );
        assert_eq!(made.get(), 1, "the second language reuses the value");
        assert_eq!(
            memo.held(),
            0,
            "nothing is kept once both languages took it"
        );
        // Another key is made on its own.
        memo.get(Key::CountryJsonLd(4), make);
        assert_eq!(made.get(), 2);
    }

    #[test]
    fn with_one_language_nothing_is_kept() {
        let memo = Memo::new(1);
        memo.get(Key::DocumentJsonLd(0), || Value::from(1u32));
        assert_eq!(memo.held(), 0);
    }
}
