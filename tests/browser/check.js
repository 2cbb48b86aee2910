#!/usr/bin/env node
/* Reads a built egovsite site in headless Chromium the way readers do, and fails on what
   would make them leave:
   - at 320, 390 and 1366 px, a page of the sample scrolls sideways (a table or matrix
     that scrolls inside its own box is fine, if that box can be reached and named);
   - a query typed on the search page returns nothing;
   - axe-core finds a serious or critical violation;
   - a page's <html> lacks its language's direction (dir="rtl" for Arabic, "ltr" otherwise),
     or text marked with another language does not read in that language's direction;
   - the keyboard focus ring has less than 3:1 contrast with the page behind it;
   - the printed profile drops the legend, the question wording, the date or the address.
   It writes a screenshot of every page at every width for people to look at (they are
   not compared with anything).

   Usage: node check.js --site DIR --shots DIR [--mount /PATH/] [--chromium PATH] [--languages ar,zh]
   --languages checks only those of the site's languages (all of them by default).
   --mount is the path of the site's base_url (the site is served there, as on GitHub
   Pages, so that the 404 page's links from any depth are checked).
   The sample is found in the built site: home, a profile (and Viet Nam's, if built), the
   heaviest comparison page, the widest yes/no matrix, a report, a news item, search and
   the 404 page, in the default language (root) and in every language the home page's
   language switcher links to (so a site built with more languages is checked in all of
   them, Arabic and Chinese included, with no list to keep here).
   Run by tests/browser.rs; prints one line per check and a summary, exits 1 on failure. */
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('playwright-core');

const WIDTHS = [320, 390, 1366];
const HEIGHT = { 320: 640, 390: 844, 1366: 900 };
const QUERY = { en: 'portal', fr: 'portal' };
// Languages written right to left (as src/render/bidi.rs says).
const RTL = ['ar', 'fa', 'he', 'ur'];
const dirOf = (lang) => (RTL.includes(String(lang).toLowerCase().split(/[-_]/)[0]) ? 'rtl' : 'ltr');

function args() {
  const out = { chromium: '/usr/bin/chromium', mount: '/' };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) {
    const k = a[i].replace(/^--/, '');
    if (!['site', 'shots', 'chromium', 'mount', 'languages'].includes(k) || a[i + 1] === undefined) {
      console.error('usage: node check.js --site DIR --shots DIR [--mount /PATH/] [--chromium PATH] [--languages ar,zh]');
      process.exit(2);
    }
    out[k] = a[i + 1];
  }
  if (!out.site || !out.shots) {
    console.error('usage: node check.js --site DIR --shots DIR [--mount /PATH/] [--chromium PATH] [--languages ar,zh]');
    process.exit(2);
  }
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
};

/* A static server over `root` that answers like GitHub Pages: a folder serves its
   index.html, a missing file gets the site's 404.html with status 404. */
function serve(root, mount) {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch (e) {
      res.writeHead(400).end();
      return;
    }
    if (!rel.startsWith(mount)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('outside the site');
      return;
    }
    rel = '/' + rel.slice(mount.length);
    let file = path.join(root, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    let status = 200;
    if (!fs.existsSync(file)) {
      status = 404;
      file = path.join(root, '404.html');
    }
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    res.writeHead(status, { 'content-type': type });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function exists(root, rel) {
  return fs.existsSync(path.join(root, rel));
}

// The pages directly in `dir` but its index (sorted, so the sample is stable).
function pagesUnder(root, dir) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html') && e.name !== 'index.html')
    .map((e) => `${dir}/${e.name}`)
    .sort();
}

/* The site's languages, read from its home page: the default language is the root
   page's <html lang>, the others are the language switcher's links (`fr/index.html`). */
function siteLanguages(root) {
  const home = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  const attr = (tag, name) => {
    const m = tag.match(new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`));
    return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
  };
  const html = home.match(/<html\b[^>]*>/);
  const first = { lang: (html && attr(html[0], 'lang')) || 'en', prefix: '' };
  const out = [first];
  const nav = home.match(/<nav\b[^>]*class="?lang-switch"?[^>]*>([\s\S]*?)<\/nav>/);
  if (!nav) return out;
  for (const a of nav[1].match(/<a\b[^>]*>/g) || []) {
    const lang = attr(a, 'hreflang');
    const href = attr(a, 'href');
    if (!lang || !href || !/^[a-z0-9-]+\/index\.html$/.test(href)) continue;
    if (!out.some((l) => l.lang === lang)) out.push({ lang, prefix: href.replace(/index\.html$/, '') });
  }
  return out;
}

function size(root, rel) {
  return fs.statSync(path.join(root, rel)).size;
}

// The sample of pages in the language whose pages live under `prefix` ('' or 'fr/').
function sample(root, prefix) {
  const pick = (name, rel) => (rel && exists(root, rel) ? [{ name, path: rel }] : []);
  const p = (rel) => prefix + rel;
  const out = [];
  out.push(...pick('home', p('index.html')));
  const profiles = pagesUnder(root, p('countries'));
  out.push(...pick('profile', profiles.find((f) => /\/lao-pdr\.html$/.test(f)) || profiles[0]));
  out.push(...pick('profile-viet-nam', profiles.find((f) => /\/viet-nam\.html$/.test(f))));
  // The heaviest comparison page is the one most likely to be too wide.
  const topics = pagesUnder(root, p('questions')).sort((a, b) => size(root, b) - size(root, a) || (a < b ? -1 : 1));
  out.push(...pick('comparison', topics[0]));
  // The yes/no matrix with the most columns.
  const overviews = pagesUnder(root, p('overview'))
    .map((f) => ({ f, cols: (fs.readFileSync(path.join(root, f), 'utf8').match(/<th scope="?col/g) || []).length }))
    .filter((o) => /class="?matrix\b/.test(fs.readFileSync(path.join(root, o.f), 'utf8')))
    .sort((a, b) => b.cols - a.cols || (a.f < b.f ? -1 : 1));
  out.push(...pick('matrix', overviews[0] && overviews[0].f));
  // The portals directory: a table per links question, stacked on phones.
  const directory = pagesUnder(root, p('overview')).find((f) => /class="?compare directory-table/.test(fs.readFileSync(path.join(root, f), 'utf8')));
  out.push(...pick('directory', directory));
  const report = pagesUnder(root, p('reports'))[0];
  out.push(...pick('report', report));
  // A long report's later part holds its tables.
  if (report) out.push(...pick('report-part-2', report.replace(/\.html$/, '/part-2.html')));
  // The whole long report on one page, for reading straight through and printing.
  if (report) out.push(...pick('report-whole', report.replace(/\.html$/, '/all.html')));
  out.push(...pick('news', pagesUnder(root, p('news'))[0]));
  out.push(...pick('search', p('search.html')));
  // The pages of the publication's method and figures: an SVG-free comparison table and long prose.
  out.push(...pick('indicators', p('indicators.html')));
  out.push(...pick('about', p('about.html')));
  // GitHub Pages answers every missing address with the root 404 page.
  out.push({ name: '404', path: p('no-such-page/here.html'), status: 404 });
  return out;
}

/* Run in the page: which way the page and every element marked with a language read.
   `dir` is what the <html> element says; `wrong` lists marked elements whose text runs
   the other way than their language (English inside an Arabic page must read left to right). */
function directionProbe(rtlLangs) {
  const dirOf = (lang) => (rtlLangs.includes(String(lang).toLowerCase().split(/[-_]/)[0]) ? 'rtl' : 'ltr');
  const root = document.documentElement;
  const wrong = [];
  for (const el of document.querySelectorAll('[lang]')) {
    const lang = el.getAttribute('lang');
    if (!lang) continue;
    const runs = getComputedStyle(el).direction;
    if (runs !== dirOf(lang)) {
      wrong.push(`${el.tagName.toLowerCase()}[lang=${lang}] reads ${runs} "${(el.textContent || '').trim().slice(0, 40)}"`);
    }
  }
  return { lang: root.getAttribute('lang'), dir: root.getAttribute('dir'), wrong: wrong.slice(0, 5), count: wrong.length };
}

/* Run in the page: does the page scroll sideways, and which elements stick out? A box
   that scrolls on its own must be reachable by keyboard and have a name. */
function layoutProbe() {
  const doc = document.documentElement;
  const vw = window.innerWidth;
  const out = { scrollWidth: doc.scrollWidth, innerWidth: vw, wide: [], boxes: [] };
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') && p !== doc && p !== document.body) return true;
    }
    return false;
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > vw + 0.5 && !scrolls(el)) {
      out.wide.push(`${describe(el)} right=${Math.round(r.right)} "${(el.textContent || '').trim().slice(0, 40)}"`);
    }
    const s = getComputedStyle(el);
    if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      out.boxes.push({ el: describe(el), focusable: el.tabIndex >= 0, named: Boolean(named) });
    }
  }
  out.wide = out.wide.slice(0, 8);
  return out;
}

// WCAG relative luminance and contrast of two CSS rgb()/rgba() colours.
function parseRgb(s) {
  const m = String(s).match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const [r, g, b, a] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return { r, g, b, a: a === undefined ? 1 : a };
}
function luminance(c) {
  const f = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
}
function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

async function main() {
  const opt = args();
  const root = path.resolve(opt.site);
  fs.mkdirSync(opt.shots, { recursive: true });
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const mount = ('/' + opt.mount + '/').replace(/\/+/g, '/');
  const server = await serve(root, mount);
  const origin = `http://127.0.0.1:${server.address().port}${mount}`;
  const failures = [];
  const fail = (msg) => {
    failures.push(msg);
    console.log('FAIL ' + msg);
  };
  const ok = (msg) => console.log('ok   ' + msg);

  const languages = siteLanguages(root);
  const only = opt.languages ? opt.languages.split(',') : null;
  console.log(`languages: ${languages.map((l) => `${l.lang} (${dirOf(l.lang)}, /${l.prefix})`).join(', ')}`);
  for (const { lang, prefix } of languages.slice(1)) {
    if (!exists(root, `${prefix}index.html`)) fail(`[${lang}] the language switcher links to ${prefix}index.html, which was not built`);
  }

  const browser = await chromium.launch({
    executablePath: opt.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const axeTotals = { pages: 0, serious: 0, critical: 0, moderate: 0, minor: 0 };
  try {
    for (const { lang, prefix } of languages) {
      if (only && !only.includes(lang)) continue;
      const pages = sample(root, prefix);
      const names = pages.map((p) => p.name);
      for (const need of ['home', 'profile', 'comparison', 'matrix', 'report', 'news', 'search', '404']) {
        if (!names.includes(need)) fail(`[${lang}] the built site has no ${need} page to check`);
      }
      for (const page of pages) {
        for (const width of WIDTHS) {
          const context = await browser.newContext({ viewport: { width, height: HEIGHT[width] }, locale: lang });
          const tab = await context.newPage();
          const errors = [];
          tab.on('pageerror', (e) => errors.push(String(e)));
          const label = `[${lang}] ${page.name} (${page.path}) at ${width} px`;
          const res = await tab.goto(origin + page.path, { waitUntil: 'load' });
          const want = page.status || 200;
          if (!res || res.status() !== want) fail(`${label}: HTTP ${res && res.status()}, expected ${want}`);
          const css = await tab.evaluate(() => Array.from(document.styleSheets).some((s) => { try { return s.cssRules.length > 0; } catch (e) { return false; } }));
          if (!css) fail(`${label}: the style sheet did not load`);
          const probe = await tab.evaluate(layoutProbe);
          if (probe.scrollWidth > probe.innerWidth) {
            fail(`${label}: the page scrolls sideways (${probe.scrollWidth} px wide in ${probe.innerWidth} px); sticking out: ${probe.wide.join('; ') || '(nothing visible)'}`);
          } else {
            ok(`${label}: no sideways scrolling (${probe.boxes.length} box(es) scroll on their own)`);
          }
          for (const b of probe.boxes) {
            if (!b.focusable || !b.named) fail(`${label}: ${b.el} scrolls sideways but is ${b.focusable ? '' : 'not reachable by keyboard'}${!b.focusable && !b.named ? ' and ' : ''}${b.named ? '' : 'has no accessible name'}`);
          }
          if (errors.length) fail(`${label}: script errors: ${errors.join('; ')}`);
          // The 404 page is the site's one page at the root, in the default language.
          const pageLang = page.status === 404 ? languages[0].lang : lang;
          const dir = await tab.evaluate(directionProbe, RTL);
          if (dir.lang !== pageLang || dir.dir !== dirOf(pageLang)) {
            fail(`${label}: <html lang="${dir.lang}" dir="${dir.dir}">, expected lang="${pageLang}" dir="${dirOf(pageLang)}"`);
          } else if (dir.count > 0) {
            fail(`${label}: ${dir.count} element(s) marked with a language read the other way: ${dir.wrong.join('; ')}`);
          } else {
            ok(`${label}: dir="${dir.dir}", text in other languages reads its own way`);
          }

          if (page.name === 'search') {
            await tab.fill('#search-q', QUERY[lang] || 'portal');
            try {
              await tab.waitForSelector('#search-list li a', { timeout: 10000 });
              const n = await tab.locator('#search-list li').count();
              const status = await tab.textContent('#search-status');
              ok(`${label}: typing "${QUERY[lang] || 'portal'}" lists ${n} result(s): ${status}`);
              const marks = await tab.locator('#search-list mark').count();
              if (marks === 0) fail(`${label}: no matched word is highlighted in the results`);
              // The filter by kind keeps only that kind's results.
              await tab.check('#search-kinds input[value="topic"]');
              const topicLabel = await tab.getAttribute('#search', 'data-kind-topic');
              await tab.waitForFunction((want) => {
                const items = Array.from(document.querySelectorAll('#search-list li > .meta'));
                return items.length > 0 && items.every((e) => e.textContent === ' · ' + want);
              }, topicLabel, { timeout: 10000 }).catch(() => {});
              const kinds = await tab.$$eval('#search-list li > .meta', (els) => els.map((e) => e.textContent.replace(/^ · /, '')));
              if (kinds.length === 0 || kinds.some((k) => k !== topicLabel)) fail(`${label}: filtered to questions, the results are of kinds ${JSON.stringify(kinds)}`);
              else ok(`${label}: filtered to questions, ${kinds.length} result(s), all questions`);
              const after = await tab.evaluate(layoutProbe);
              if (after.scrollWidth > after.innerWidth) fail(`${label}: with results the page scrolls sideways: ${after.wide.join('; ')}`);
            } catch (e) {
              fail(`${label}: typing a query listed no results (${(await tab.textContent('#search-status')) || 'no status'})`);
            }
          }

          await tab.addScriptTag({ content: axeSource });
          const axe = await tab.evaluate(async () => {
            const r = await window.axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
          });
          axeTotals.pages++;
          for (const v of axe) {
            axeTotals[v.impact] = (axeTotals[v.impact] || 0) + 1;
            const line = `${label}: axe ${v.impact} ${v.id} on ${v.nodes} element(s): ${v.target.join(', ')}`;
            if (v.impact === 'serious' || v.impact === 'critical') fail(line);
            else console.log('note ' + line);
          }
          if (!axe.some((v) => v.impact === 'serious' || v.impact === 'critical')) ok(`${label}: axe-core finds no serious or critical violation`);

          if (page.name === 'home' && width === 1366) {
            // Focus the first link of the content by keyboard and measure its ring.
            await tab.focus('main a');
            await tab.keyboard.press('Shift+Tab');
            await tab.keyboard.press('Tab');
            const ring = await tab.evaluate(() => {
              const el = document.activeElement;
              const s = getComputedStyle(el);
              let bg = 'rgb(255, 255, 255)';
              for (let p = el; p; p = p.parentElement) {
                const c = getComputedStyle(p).backgroundColor;
                if (c && !/rgba\(0, 0, 0, 0\)|transparent/.test(c)) { bg = c; break; }
              }
              return { tag: el.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, bg };
            });
            const c = parseRgb(ring.color);
            const ratio = c ? contrast(c, parseRgb(ring.bg)) : 0;
            if (ring.style === 'none' || ring.width < 2 || ratio < 3) {
              fail(`${label}: the focus ring on ${ring.tag} is ${ring.style} ${ring.width}px ${ring.color}, contrast ${ratio.toFixed(2)}:1 against ${ring.bg} (needs a visible ring of 3:1)`);
            } else {
              ok(`${label}: focus ring ${ring.width}px ${ring.color}, ${ratio.toFixed(2)}:1 against ${ring.bg}`);
            }
          }

          // The first screen as PNG, the whole page as JPEG (long pages are large).
          await tab.screenshot({ path: path.join(opt.shots, `${lang}-${page.name}-${width}.png`) });
          await tab.screenshot({ path: path.join(opt.shots, `${lang}-${page.name}-${width}-full.jpeg`), fullPage: true, type: 'jpeg', quality: 60, timeout: 120000 });

          if (page.name === 'profile' && width === 1366) {
            await tab.emulateMedia({ media: 'print' });
            const printed = await tab.evaluate(() => {
              const visible = (el) => Boolean(el) && el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true }) && el.getClientRects().length > 0;
              const legend = document.querySelector('.legend');
              const wording = document.querySelector('.question-text > div');
              const foot = document.querySelector('.print-source');
              const text = foot && visible(foot) ? foot.textContent : '';
              return {
                legend: visible(legend),
                wording: visible(wording),
                date: /\d{4}/.test(text),
                url: /https?:\/\//.test(text),
              };
            });
            for (const [what, good] of Object.entries(printed)) {
              if (!good) fail(`${label}: printed, the page lacks the ${what}`);
            }
            if (Object.values(printed).every(Boolean)) ok(`${label}: printed with legend, question wording, date and address`);
            await tab.pdf({ path: path.join(opt.shots, `${lang}-${page.name}-print.pdf`) }).catch(() => {});
          }
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`axe-core: ${axeTotals.pages} page-and-width runs; violations by impact: critical ${axeTotals.critical}, serious ${axeTotals.serious}, moderate ${axeTotals.moderate}, minor ${axeTotals.minor}`);
  console.log(`screenshots: ${path.resolve(opt.shots)}`);
  if (failures.length) {
    console.log(`${failures.length} failure(s)`);
    process.exit(1);
  }
  console.log('all browser checks passed');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
