// Shows a briefing's freshness notice (`stale_after_days` in site.yaml) once
// the reader's own day has reached the one its `data-stale-from` names: the
// page's bytes never depend on the day it was built. A file of its own, not
// an inline script, so that a Content-Security-Policy of `script-src 'self'`
// lets it run.
(function () {
  var notices = document.querySelectorAll("[data-stale-from]");
  for (var i = 0; i < notices.length; i++) {
    var day = notices[i].getAttribute("data-stale-from").split("-");
    var from = new Date(+day[0], day[1] - 1, +day[2]).getTime();
    if (Date.now() >= from) notices[i].hidden = false;
  }
})();
