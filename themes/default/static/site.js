/* egovsite: two small conveniences on every page; every page reads fully without them.
   - An address that points into a collapsed section (a profile's `#q38`) opens that
     section, in browsers that do not open it themselves.
   - A printed page carries the date it was printed (the address is in the page). */
(function () {
  'use strict';

  function openTarget() {
    var id = location.hash.slice(1);
    if (!id) return;
    try { id = decodeURIComponent(id); } catch (e) { return; }
    var el = document.getElementById(id);
    if (!el) return;
    var opened = false;
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === 'DETAILS' && !p.open) {
        p.open = true;
        opened = true;
      }
    }
    if (opened) el.scrollIntoView();
  }

  // Appends " · 2 December 2026" (in the page's language) to the print line once.
  function stamp() {
    var line = document.querySelector('.print-source');
    if (!line) return;
    var time = line.querySelector('time');
    if (!time) {
      line.appendChild(document.createTextNode(' · '));
      time = line.appendChild(document.createElement('time'));
    }
    var now = new Date();
    var iso = now.getFullYear() + '-' + String(now.getMonth() + 1).padStart(2, '0') + '-' + String(now.getDate()).padStart(2, '0');
    time.setAttribute('datetime', iso);
    var text = iso;
    try {
      text = now.toLocaleDateString(document.documentElement.lang || undefined, { year: 'numeric', month: 'long', day: 'numeric', numberingSystem: 'latn' });
    } catch (e) { /* the ISO date stays */ }
    time.textContent = text;
  }

  function init() {
    openTarget();
    stamp();
  }

  window.addEventListener('hashchange', openTarget);
  window.addEventListener('beforeprint', stamp);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
