/* egovsite search: results as you type, from the index `egovsite build` writes under
   search/ (see src/render/search/, whose algorithm this mirrors step for step).
   Only the search page loads this script, and it fetches only meta.json and the few
   small files holding the words typed. Without it the page still lists every question.
   No dependencies; text is inserted with textContent only. */
(function () {
  'use strict';

  // Results are shown a page at a time; "Show more" adds the next page.
  var PAGE = 30;
  var DELAY = 150;

  // Rust's char::is_alphanumeric: Alphabetic or Numeric. Older browsers without Unicode
  // property escapes get an approximation.
  var WORD = (function () {
    try {
      return new RegExp('[\\p{Alphabetic}\\p{N}]', 'u');
    } catch (e) {
      return /[0-9A-Za-z\u00aa\u00b2\u00b3\u00b5\u00b9\u00ba\u00bc-\u00be\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\uffff]/;
    }
  })();

  function inRanges(ranges, cp) {
    for (var i = 0; i < ranges.length; i++) {
      if (cp >= ranges[i][0] && cp <= ranges[i][1]) return true;
    }
    return false;
  }

  function utf8Length(s) {
    var n = 0;
    for (const c of s) {
      var cp = c.codePointAt(0);
      n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    return n;
  }

  /* The tokeniser of the index (src/render/search/tokenize.rs, whose rules it follows
     step for step): lower case; marks in meta.drop skipped; letters folded by meta.fold;
     runs of letters and digits are words, kept when at least meta.min_chars characters,
     at most meta.max_bytes bytes and not stop words; runs of characters in meta.cjk
     (scripts written without spaces) are words of their own, as overlapping bigrams, or
     the character alone in a run of one. */
  function tokenizer(meta) {
    var fold = new Map(Object.entries(meta.fold));
    var stop = new Set(meta.stop);
    return function tokenize(text) {
      var out = [];
      var word = '';
      var run = [];
      var endWord = function () {
        if (Array.from(word).length >= meta.min_chars && utf8Length(word) <= meta.max_bytes && !stop.has(word)) out.push(word);
        word = '';
      };
      var endRun = function () {
        if (run.length === 1) out.push(run[0]);
        for (var i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
        run = [];
      };
      for (const c of String(text).toLowerCase()) {
        var cp = c.codePointAt(0);
        if (cp < 0x80) {
          if (/[0-9a-z]/.test(c)) {
            endRun();
            word += c;
          } else {
            endWord();
            endRun();
          }
        } else if (inRanges(meta.drop, cp)) {
          continue;
        } else if (fold.has(c)) {
          endRun();
          word += fold.get(c);
        } else if (WORD.test(c)) {
          if (inRanges(meta.cjk, cp)) {
            endWord();
            run.push(c);
          } else {
            endRun();
            word += c;
          }
        } else {
          endWord();
          endRun();
        }
      }
      endWord();
      endRun();
      return out;
    };
  }

  function keyOf(term, k) {
    return Array.from(term).slice(0, k).join('');
  }

  // The key of the term file holding `term`: its first meta.key_chars characters (a CJK
  // term's first meta.cjk_key_chars), one more per split key.
  function shardKey(term, meta, split) {
    var chars = Array.from(term);
    var n = chars.length;
    var first = n ? chars[0].codePointAt(0) : 0;
    var k = Math.min(inRanges(meta.cjk, first) ? meta.cjk_key_chars : meta.key_chars, n);
    while (k < n && split.has(keyOf(term, k))) k++;
    return keyOf(term, k);
  }

  function hex(s) {
    return Array.from(new TextEncoder().encode(s), function (b) {
      return b.toString(16).padStart(2, '0');
    }).join('');
  }

  /* A search over the index below `root` (the relative way from the page to the site
     root). search(q, limit, kind) resolves to {total, results: [{title, url, snippet,
     kind, lang}], matches, pieces}, best first; with `kind` ('country', 'answer',
     'topic', 'report', 'news' or 'indicator') only results of that kind count.
     `matches(word)` tells whether a word of a result's text is one the query matched, and
     `pieces(word)` which parts of it to highlight. */
  function createSearch(root) {
    var cache = new Map();

    function load(path, init) {
      var p = cache.get(path);
      if (!p) {
        p = fetch(root + path, init).then(function (r) {
          // No file for a key means no term with that key.
          if (r.status === 404) return {};
          if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
          return r.json();
        });
        p.catch(function () { cache.delete(path); });
        cache.set(path, p);
      }
      return p;
    }

    var state = null;
    function ready() {
      if (!state) {
        state = load('search/meta.json', { cache: 'no-cache' }).then(function (meta) {
          if (meta.version !== 2) throw new Error('unknown search index version ' + meta.version);
          return { meta: meta, split: new Set(meta.split), tokenize: tokenizer(meta) };
        });
        state.catch(function () { state = null; });
      }
      return state;
    }

    async function search(q, limit, kind) {
      var s = await ready();
      var meta = s.meta;
      var v = '?v=' + meta.hash;
      var words = s.tokenize(q);
      var shards = await Promise.all(words.map(function (w) {
        return load('search/t/' + hex(shardKey(w, meta, s.split)) + '.json' + v);
      }));
      // Every word must match; the last one also as the start of longer terms, which
      // weigh half; a record counts its best match.
      var scores = null;
      words.forEach(function (word, i) {
        var prefix = i === words.length - 1;
        var shard = shards[i];
        var found = new Map();
        for (const term of Object.keys(shard)) {
          var exact = term === word;
          if (!exact && !(prefix && term.startsWith(word))) continue;
          for (const p of shard[term]) {
            var w = exact ? p[1] : Math.floor(p[1] / 2);
            found.set(p[0], Math.max(found.has(p[0]) ? found.get(p[0]) : 0, w));
          }
        }
        if (scores === null) {
          scores = found;
        } else {
          var both = new Map();
          scores.forEach(function (score, id) {
            if (found.has(id)) both.set(id, score + found.get(id));
          });
          scores = both;
        }
      });
      var ranked = scores ? Array.from(scores) : [];
      ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      var want = limit === undefined ? ranked.length : limit;
      // Without a kind only the records shown are fetched; with one, every match is
      // fetched to count and keep that kind's.
      var top = kind ? ranked : ranked.slice(0, want);
      var numbers = Array.from(new Set(top.map(function (r) { return Math.floor(r[0] / meta.shard_size); })));
      var files = await Promise.all(numbers.map(function (n) { return load('search/r/' + n + '.json' + v); }));
      var rows = new Map(numbers.map(function (n, i) { return [n, files[i]]; }));
      var results = [];
      var total = kind ? 0 : ranked.length;
      top.forEach(function (r) {
        var file = rows.get(Math.floor(r[0] / meta.shard_size));
        var row = Array.isArray(file) ? file[r[0] % meta.shard_size] : null;
        if (!row) return;
        if (kind) {
          if (row[3] !== kind) return;
          total++;
          if (results.length >= want) return;
        }
        results.push({ id: r[0], score: r[1], title: row[0], url: row[1], snippet: row[2], kind: row[3], lang: row[4] || meta.lang });
      });
      var last = words.length - 1;
      var hit = function (t) {
        return words.some(function (w, i) { return t === w || (i === last && t.startsWith(w)); });
      };
      var matches = function (word) {
        return s.tokenize(word).some(hit);
      };
      var cjk = function (c) {
        return WORD.test(c) && inRanges(meta.cjk, c.codePointAt(0));
      };
      /* A word of a result's text as [text, matched] pieces: the whole word, matched or
         not, except that in a run of CJK characters (a sentence, in Chinese) only the
         characters of a matched bigram, or of a matched character alone, are. */
      var pieces = function (word) {
        var chars = Array.from(word);
        if (!chars.some(cjk)) return [[word, matches(word)]];
        var out = [];
        var i = 0;
        while (i < chars.length) {
          var run = cjk(chars[i]);
          var j = i;
          while (j < chars.length && cjk(chars[j]) === run) j++;
          var seg = chars.slice(i, j);
          if (!run) {
            out.push([seg.join(''), matches(seg.join(''))]);
          } else {
            var covered = seg.map(function (c) { return seg.length === 1 && hit(c); });
            for (var k = 0; k + 1 < seg.length; k++) {
              if (hit(seg[k] + seg[k + 1])) covered[k] = covered[k + 1] = true;
            }
            seg.forEach(function (c, k) {
              var prev = out[out.length - 1];
              if (k > 0 && prev[1] === covered[k]) prev[0] += c;
              else out.push([c, covered[k]]);
            });
          }
          i = j;
        }
        return out;
      };
      return { total: total, results: results, matches: matches, pieces: pieces };
    }

    return { search: search };
  }

  // Fill `{name}` placeholders of an interface string.
  function fill(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  /* Append `text` to `parent`, each word the query matched in a <mark> (`pieces`, from a
     search's result, cuts a word into matched and unmatched pieces). Text is only ever
     inserted as text. */
  function highlight(parent, text, pieces) {
    var parts = String(text).split(/([^\s.,;:!?()\[\]{}"'«»“”‘’\/\\|<>]+)/);
    var plain = '';
    var flush = function () {
      if (!plain) return;
      if (document.createTextNode) parent.appendChild(document.createTextNode(plain));
      else {
        var span = document.createElement('span');
        span.textContent = plain;
        parent.appendChild(span);
      }
      plain = '';
    };
    parts.forEach(function (part, i) {
      (i % 2 === 1 && pieces ? pieces(part) : [[part, false]]).forEach(function (piece) {
        if (piece[1]) {
          flush();
          var mark = document.createElement('mark');
          mark.textContent = piece[0];
          parent.appendChild(mark);
        } else {
          plain += piece[0];
        }
      });
    });
    flush();
  }

  function init() {
    var box = document.getElementById('search');
    var form = document.getElementById('search-form');
    var input = document.getElementById('search-q');
    var status = document.getElementById('search-status');
    var region = document.getElementById('search-results');
    var list = document.getElementById('search-list');
    if (!box || !form || !input || !status || !region || !list) return;
    var d = box.dataset;
    var engine = createSearch(d.root || '');
    // Result addresses are relative to the site root; pages of another interface
    // language live below their own folder (`base`).
    var base = d.base !== undefined ? d.base : (d.root || '');
    var pageLang = document.documentElement.lang;
    // Counts are written as the page's language writes them, in the digits 0-9 on every
    // page (Arabic pages too, as the site's own numbers are); without Intl, as they are.
    var plurals = null;
    var numbers = null;
    try {
      plurals = new Intl.PluralRules(pageLang || 'en');
      numbers = new Intl.NumberFormat((pageLang || 'en') + '-u-nu-latn');
    } catch (e) { /* an unknown language: English rules, plain numbers */ }
    function number(n) {
      return numbers ? numbers.format(n) : String(n);
    }
    /* The message of `name` (a data attribute, `msgResults`) for a count of n: the
       variant for n's plural category in the page's language (`msgResultsFew`) when the
       language file defines it, else the base message. */
    function message(name, n) {
      var category = plurals ? plurals.select(n) : n === 1 ? 'one' : 'other';
      var variant = d[name + category.charAt(0).toUpperCase() + category.slice(1)];
      return category !== 'other' && variant !== undefined ? variant : d[name];
    }
    var kinds = { country: d.kindCountry, answer: d.kindAnswer, topic: d.kindTopic, report: d.kindReport, news: d.kindNews, indicator: d.kindIndicator };
    // Optional parts of the page: the filter by kind and the "Show more" button.
    var filter = document.getElementById('search-kinds');
    var more = document.getElementById('search-more');
    var timer = 0;
    var seq = 0;
    var shown = PAGE;
    form.hidden = false;
    if (filter) filter.hidden = false;

    function kind() {
      if (!filter || !filter.querySelector) return '';
      var checked = filter.querySelector('input[name="kind"]:checked');
      return checked && checked.value !== 'all' ? checked.value : '';
    }

    function remember(q) {
      try {
        history.replaceState(null, '', location.pathname + (q.trim() ? '?q=' + encodeURIComponent(q) : ''));
      } catch (e) { /* file: pages may refuse; the search still works */ }
    }

    function item(r, pieces) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.setAttribute('href', base + r.url);
      highlight(a, r.title, pieces);
      if (r.lang && r.lang !== pageLang) a.setAttribute('lang', r.lang);
      li.appendChild(a);
      if (kinds[r.kind]) {
        var kind = document.createElement('span');
        kind.className = 'meta';
        kind.textContent = ' · ' + kinds[r.kind];
        li.appendChild(kind);
      }
      if (r.snippet) {
        var p = document.createElement('p');
        p.className = 'snippet';
        highlight(p, r.snippet, pieces);
        if (r.lang && r.lang !== pageLang) p.setAttribute('lang', r.lang);
        li.appendChild(p);
      }
      return li;
    }

    async function run(q) {
      var mine = ++seq;
      if (!q.trim()) {
        region.hidden = true;
        list.textContent = '';
        status.textContent = '';
        if (more) more.hidden = true;
        return;
      }
      var found;
      try {
        found = await engine.search(q, shown, kind() || undefined);
      } catch (e) {
        if (mine !== seq) return;
        region.hidden = true;
        list.textContent = '';
        if (more) more.hidden = true;
        status.textContent = fill(d.msgError, { error: e && e.message ? e.message : String(e) });
        return;
      }
      if (mine !== seq) return;
      var items = found.results.filter(function (r) {
        // Only addresses inside the site.
        return typeof r.url === 'string' && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(r.url);
      }).map(function (r) { return item(r, found.pieces); });
      list.textContent = '';
      items.forEach(function (li) { list.appendChild(li); });
      region.hidden = items.length === 0;
      var values = { q: q.trim(), n: number(found.total), shown: number(items.length) };
      var msg = found.total === 0 ? d.msgNone : message(found.total > items.length ? 'msgFirst' : 'msgResults', found.total);
      status.textContent = fill(msg, values);
      if (more) more.hidden = !(found.total > found.results.length);
    }

    if (more) {
      more.addEventListener('click', function () {
        shown += PAGE;
        run(input.value);
      });
    }
    if (filter) {
      filter.addEventListener('change', function () {
        shown = PAGE;
        run(input.value);
      });
    }
    input.addEventListener('input', function () {
      shown = PAGE;
      clearTimeout(timer);
      timer = setTimeout(function () {
        run(input.value);
        remember(input.value);
      }, DELAY);
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      shown = PAGE;
      clearTimeout(timer);
      run(input.value);
      remember(input.value);
    });
    var q = new URLSearchParams(location.search).get('q');
    if (q) {
      input.value = q;
      run(q);
    }
  }

  if (typeof module === 'object' && module.exports) {
    module.exports = { createSearch: createSearch, tokenizer: tokenizer, shardKey: shardKey, hex: hex, fill: fill, highlight: highlight, init: init };
  }
  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
    else init();
  }
})();
