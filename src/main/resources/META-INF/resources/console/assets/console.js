// Live parts of console pages: an element with data-live="URL" is replaced by a fresh rendering of
// that URL every second, while the page (and any form being filled in) stays put. Polling, not a
// push channel: any replica can answer it, the leader or not. No inline script (see the CSP).
(function () {
  'use strict';
  var PERIOD_MS = 1000;
  document.querySelectorAll('[data-live]').forEach(function (el) {
    var url = el.getAttribute('data-live');
    function poll() {
      fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
        .then(function (r) {
          if (r.status === 401) {
            window.location.assign('/console/sign-in');
            return null;
          }
          return r.ok ? r.text() : null;
        })
        .then(function (html) {
          if (html !== null) {
            el.innerHTML = html;
            el.setAttribute('data-updated', String(Date.now()));
          }
        })
        .catch(function () {
          el.setAttribute('data-stale', 'true');
        })
        .finally(function () {
          window.setTimeout(poll, PERIOD_MS);
        });
    }
    window.setTimeout(poll, PERIOD_MS);
  });
})();
