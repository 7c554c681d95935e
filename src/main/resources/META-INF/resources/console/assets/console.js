// Live parts of console pages: an element with data-live="URL" is replaced by a fresh rendering of
// that URL, while the page (and any form being filled in) stays put. When the element also has
// data-events="URL", a Server-Sent Events stream says when the run changed and the part is fetched
// at once; polling once a second is the fallback whenever that stream is not open, and a slow poll
// (every 5 s) keeps the clocks on the page moving while it is. No inline script (see the CSP).
(function () {
  'use strict';
  var PERIOD_MS = 1000;
  var SAFETY_MS = 5000;
  document.querySelectorAll('[data-live]').forEach(function (el) {
    var url = el.getAttribute('data-live');
    var events = el.getAttribute('data-events');
    var stream = null;
    var inFlight = false;
    var again = false;
    var lastMs = Date.now();
    function streaming() {
      return stream !== null && stream.readyState === 1;
    }
    function refresh() {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      lastMs = Date.now();
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
            el.removeAttribute('data-stale');
          }
        })
        .catch(function () {
          el.setAttribute('data-stale', 'true');
        })
        .finally(function () {
          inFlight = false;
          if (again) {
            again = false;
            refresh();
          }
        });
    }
    if (events && window.EventSource) {
      stream = new EventSource(events);
      stream.onopen = function () {
        el.setAttribute('data-live-mode', 'events');
      };
      stream.onmessage = function () {
        refresh();
      };
      stream.onerror = function () {
        el.setAttribute('data-live-mode', 'polling');
      };
    } else {
      el.setAttribute('data-live-mode', 'polling');
    }
    window.setInterval(function () {
      if (!streaming() || Date.now() - lastMs >= SAFETY_MS) {
        refresh();
      }
    }, PERIOD_MS);
  });
})();
