//! HTML and XML escaping of text: the one escaper of every template value, feed, page the
//! program writes by hand (charts, the review page, serve's banner) and XML file.

/// Escape text for XML and HTML text or attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let _ = escape_in_pieces(s, |piece| -> Result<(), std::convert::Infallible> {
        out.push_str(piece);
        Ok(())
    });
    out
}

/// [`escape`], handing the escaped text to `put` piece by piece (runs of plain text and
/// entities) instead of collecting it: `& < > " '` become `&amp; &lt; &gt; &quot; &apos;`,
/// and a control character XML 1.0 forbids (validation refuses them in content; this keeps
/// every feed and page well-formed whatever reaches it) becomes U+FFFD.
pub fn escape_in_pieces<E>(s: &str, mut put: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            0..=0x08 | 0x0b | 0x0c | 0x0e..=0x1f => "\u{fffd}",
            _ => continue,
        };
        put(&s[last..i])?;
        put(entity)?;
        last = i + 1;
    }
    put(&s[last..])
}
