// Live progress on a project page: the "N of M tasks completed" figure and its bar follow the
// project without a reload. With SSE on, the server pushes "progress" events
// (/project/<sn>/progress/stream); otherwise we poll /project/<sn>/progress every few seconds.
(function (window, document) {
  "use strict";

  function show(box, data) {
    var total = Number(data.n_tasks) || 0;
    var completed = Number(data.n_completed_tasks) || 0;
    var done = document.getElementById("live-completed");
    var all = document.getElementById("live-total");
    var meter = document.getElementById("live-meter");
    if (done) { done.textContent = String(completed); }
    if (all) { all.textContent = String(total); }
    if (meter) { meter.style.width = (total ? Math.floor((100 * completed) / total) : 0) + "%"; }
    box.dataset.updated = String(Date.now());
  }

  function poll(box) {
    var every = Math.max(Number(box.dataset.pollSeconds) || 10, 0.2) * 1000;
    function tick() {
      if (document.hidden) { window.setTimeout(tick, every); return; }
      window.fetch(box.dataset.pollUrl, { credentials: "same-origin", cache: "no-store",
        headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) { show(box, data); } })
        .catch(function () { /* offline for a moment: try again at the next tick */ })
        .then(function () { window.setTimeout(tick, every); });
    }
    window.setTimeout(tick, every);
  }

  function stream(box) {
    var source = new window.EventSource(box.dataset.streamUrl);
    box.dataset.mode = "sse";
    source.addEventListener("progress", function (event) {
      try { show(box, JSON.parse(event.data)); } catch (err) { /* ignore a malformed event */ }
    });
    // The server ends each stream after a minute; EventSource reconnects on its own.
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("live-progress");
    if (!box) { return; }
    if (box.dataset.streamUrl && window.EventSource) {
      stream(box);
    } else {
      box.dataset.mode = "poll";
      poll(box);
    }
  });
})(window, document);
