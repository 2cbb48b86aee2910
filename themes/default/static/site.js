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

  function stamp() {
    var time = document.querySelector('time.print-date');
    if (!time) return;
    var now = new Date();
    var iso = now.getFullYear() + '-' + String(now.getMonth() + 1).padStart(2, '0') + '-' + String(now.getDate()).padStart(2, '0');
    time.setAttribute('datetime', iso);
    try {
      time.textContent = now.toLocaleDateString(document.documentElement.lang || undefined, { year: 'numeric', month: 'long', day: 'numeric' });
    } catch (e) {
      time.textContent = iso;
    }
    if (time.parentElement) time.parentElement.hidden = false;
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
