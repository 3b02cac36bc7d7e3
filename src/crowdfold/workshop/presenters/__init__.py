"""The stock task presenters (``PRESENTERS``) and their sample tasks (``TEMPLATE_TASKS``).

Each presenter is assembled from ``skeleton.html`` and the parts below, in the shape of PYBOSSA's
stock templates (question, answer buttons, progress, ``taskLoaded``/``presentTask`` hooks,
``pybossa.run``). Sample tasks are JSON files in ``samples/``; their media are in the workshop's
static files, so every template works offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

HERE = Path(__file__).resolve().parent

BUTTONS = """      <div class="btn-group">
        {buttons}
      </div>"""


def _buttons(pairs: list[tuple[str, str]]) -> str:
    return BUTTONS.format(
        buttons="\n        ".join(
            f'<button class="btn btn-answer btn-{style}" value="{value}">'
            f"<kbd>{i}</kbd> {value}</button>"
            for i, (value, style) in enumerate(pairs, 1)
        )
    )


BUTTON_HANDLERS = """    $(".btn-answer").off("click").on("click", function () {
      save(task, $(this).attr("value"), deferred);
    });
    $(document).off("keyup.presenter").on("keyup.presenter", function (e) {
      var button = $(".btn-answer").eq(parseInt(e.key, 10) - 1);
      if (button.length && !button.prop("disabled")) { button.click(); }
    });"""

RESOLVE = "    deferred.resolve(task);"


@dataclass(frozen=True)
class Presenter:
    name: str
    title: str
    description: str
    question: str
    answer: str
    media: str
    loaded: str
    present: str
    shortcuts: str
    helpers: str = ""  # functions and state shared by the hooks, before pybossa.taskLoaded


PRESENTERS = {
    "basic": Presenter(
        "basic",
        gettext_noop("Basic"),
        gettext_noop(
            "A question and a free-text answer; shows the task's data. A starting point for your own."
        ),
        "What do you see?",
        """      <pre id="task-info" class="well"></pre>
      <textarea id="text-answer" class="form-control" rows="3" placeholder="Your answer"></textarea>
      <button id="submit" class="btn btn-primary">Submit</button>""",
        "",
        RESOLVE,
        """    $("#task-info").text(JSON.stringify(task.info, null, 2));
    $("#text-answer").val("").focus();
    $("#submit").off("click").on("click", function () {
      save(task, {text: $("#text-answer").val()}, deferred);
    });
    $(document).off("keyup.presenter").on("keyup.presenter", function (e) {
      if (e.key === "Enter" && e.ctrlKey) { $("#submit").click(); }
    });""",
        "Ctrl+Enter submits.",
    ),
    "image": Presenter(
        "image",
        gettext_noop("Image pattern recognition"),
        gettext_noop(
            "Show a picture and ask a yes/no question about it (PYBOSSA's Flickr-person template)."
        ),
        "Do you see a circle in this picture?",
        _buttons([("Yes", "success"), ("No", "danger"), ("NotKnown", "default")]),
        """    <a id="photo-link" href="#" target="_blank" rel="noopener">
      <img id="photo" class="img-thumbnail" alt="Task picture" style="max-width: 100%">
    </a>""",
        """    if ($.isEmptyObject(task)) { deferred.resolve(task); return; }
    var img = new Image();
    img.onload = img.onerror = function () { deferred.resolve(task); };
    img.src = task.info.url_b || task.info.url || "";""",
        f"""    $("#photo").attr("src", task.info.url_b || task.info.url);
    $("#photo-link").attr("href", task.info.link || task.info.url_b || "#");
{BUTTON_HANDLERS}""",
        "Keys 1, 2, 3 answer.",
    ),
    "sound": Presenter(
        "sound",
        gettext_noop("Sound pattern recognition"),
        gettext_noop("Play a sound and ask about it."),
        "Is this a high tone?",
        _buttons([("Yes", "success"), ("No", "danger"), ("NotKnown", "default")]),
        """    <audio id="player" controls preload="auto" style="width: 100%"></audio>
    <p><button id="play" class="btn btn-default">&#9654; Play (P)</button></p>""",
        RESOLVE,
        f"""    $("#player").attr("src", task.info.audio_url);
    $("#play").off("click").on("click", function () {{ $("#player")[0].play(); }});
{BUTTON_HANDLERS}
    $(document).on("keyup.presenter", function (e) {{
      if (e.key === "p") {{ $("#player")[0].play(); }}
    }});""",
        "P plays the sound; keys 1, 2, 3 answer.",
    ),
    "video": Presenter(
        "video",
        gettext_noop("Video pattern recognition"),
        gettext_noop("Play a short video and ask about it."),
        "Does this video show coloured bars?",
        _buttons([("Yes", "success"), ("No", "danger"), ("NotKnown", "default")]),
        """    <video id="player" controls muted preload="auto" style="width: 100%"></video>""",
        RESOLVE,
        f"""    $("#player").attr("src", task.info.video_url);
{BUTTON_HANDLERS}""",
        "Keys 1, 2, 3 answer.",
    ),
    "map": Presenter(
        "map",
        gettext_noop("Geo-coding"),
        gettext_noop(
            "Ask volunteers to locate a place by clicking on a world map (Leaflet; works offline "
            "with packaged country outlines, or on your tile server)."
        ),
        "Where is this city?",
        """      <p>Click the map where you think <strong id="city"></strong> is, then save.</p>
      <p>Your pick: <span id="pick">none yet</span></p>
      <button id="submit" class="btn btn-primary" disabled>Save location</button>""",
        """    <link rel="stylesheet" href="@STATIC@workshop/vendor/leaflet-1.9.4/leaflet.css">
    <div id="map" style="height: 380px; background: #cfe8ff; cursor: crosshair"></div>
    <script src="@STATIC@workshop/vendor/leaflet-1.9.4/leaflet.js"></script>
    <script src="@STATIC@workshop/vendor/natural-earth-110m/world-110m.js"></script>""",
        RESOLVE,
        """    var pick = null;
    if (marker) { map.removeLayer(marker); marker = null; }
    map.setView([20, 0], 1);
    map.invalidateSize();
    $("#city").text(task.info.city);
    $("#pick").text("none yet");
    $("#submit").prop("disabled", true);
    map.off("click").on("click", function (e) {
      var at = e.latlng.wrap();
      pick = {lat: Math.round(at.lat * 100) / 100, lon: Math.round(at.lng * 100) / 100};
      if (marker) { marker.setLatLng(e.latlng); } else {
        marker = L.circleMarker(e.latlng, {radius: 7, color: "#c0392b", fillOpacity: 0.8}).addTo(map);
      }
      $("#pick").text(pick.lat + ", " + pick.lon);
      $("#submit").prop("disabled", false);
    });
    $("#submit").off("click").on("click", function () {
      save(task, {city: task.info.city, lat: pick.lat, lon: pick.lon}, deferred);
    });
    $(document).off("keyup.presenter").on("keyup.presenter", function (e) {
      if (e.key === "Enter" && pick) { $("#submit").click(); }
    });""",
        "Click to place the marker, + and − zoom; Enter saves your pick.",
        """  // The base map: the server's tile layer when it has one (CROWDFOLD_MAP_TILE_URL), else
  // country outlines packaged with Crowdfold (Natural Earth 1:110m), so it works offline.
  var map = L.map("map", {worldCopyJump: true, minZoom: 1, maxZoom: 10}).setView([20, 0], 1);
  var marker = null;
  var tiles = (pybossa.settings || {}).mapTileUrl;
  if (tiles) {
    L.tileLayer(tiles, {attribution: pybossa.settings.mapTileAttribution || "", maxZoom: 19}).addTo(map);
  } else {
    L.geoJSON(window.CROWDFOLD_WORLD, {
      interactive: false,
      style: {color: "#8a9a7b", weight: 0.7, fillColor: "#eef2e6", fillOpacity: 1}
    }).addTo(map);
  }""",
    ),
    "pdf": Presenter(
        "pdf",
        gettext_noop("Transcribing documents"),
        gettext_noop(
            "Show the pages of a PDF document (PDF.js) and ask volunteers to transcribe them."
        ),
        "Please transcribe this page",
        """      <textarea id="transcription" class="form-control" rows="6" placeholder="Type what the page says"></textarea>
      <button id="submit" class="btn btn-primary">Save transcription</button>""",
        """    <div class="btn-toolbar" style="margin-bottom: 8px">
      <button id="pdf-prev" class="btn btn-default btn-sm">&larr; Previous page</button>
      <span style="margin: 0 8px">Page <span id="pdf-page">1</span> of <span id="pdf-pages">?</span></span>
      <button id="pdf-next" class="btn btn-default btn-sm">Next page &rarr;</button>
      <a id="document-link" href="#" target="_blank" rel="noopener" style="margin-left: 8px">Open the document</a>
    </div>
    <canvas id="pdf-canvas" style="width: 100%; border: 1px solid #ddd; background: #fff"></canvas>
    <p id="pdf-error" class="text-danger" style="display: none"></p>
    <script src="@STATIC@workshop/vendor/pdfjs-3.11.174/pdf.min.js"></script>
    <script src="@STATIC@workshop/vendor/pdfjs-3.11.174/pdf.worker.min.js"></script>""",
        """    if ($.isEmptyObject(task)) { deferred.resolve(task); return; }
    // Preload (and parse) the document while the volunteer works on the previous task.
    openDocument(task.info.pdf_url).then(function (doc) {
      task.pdf = doc;
      deferred.resolve(task);
    }, function (error) {
      task.pdfError = String(error && error.message || error);
      deferred.resolve(task);
    });""",
        """    var doc = task.pdf, number = parseInt(task.info.page, 10) || 1;
    $("#document-link").attr("href", task.info.pdf_url);
    $("#pdf-error").hide();
    function show(n) {
      number = Math.min(Math.max(n, 1), doc.numPages);
      $("#pdf-page").text(number);
      $("#pdf-prev").prop("disabled", number <= 1);
      $("#pdf-next").prop("disabled", number >= doc.numPages);
      renderPage(doc, number);
    }
    if (doc) {
      $("#pdf-pages").text(doc.numPages);
      show(number);
    } else {
      $("#pdf-error").text("The document could not be shown: " + task.pdfError).show();
    }
    $("#pdf-prev").off("click").on("click", function () { show(number - 1); });
    $("#pdf-next").off("click").on("click", function () { show(number + 1); });
    $("#transcription").val("").focus();
    $("#submit").off("click").on("click", function () {
      save(task, {transcription: $("#transcription").val(), page: number}, deferred);
    });
    $(document).off("keyup.presenter").on("keyup.presenter", function (e) {
      if (e.key === "Enter" && e.ctrlKey) { $("#submit").click(); }
      if (e.target.id !== "transcription" && e.key === "PageDown") { $("#pdf-next").click(); }
      if (e.target.id !== "transcription" && e.key === "PageUp") { $("#pdf-prev").click(); }
    });""",
        "Ctrl+Enter saves; Page Up / Page Down turn the pages.",
        """  // PDF.js runs in this frame without a Worker (pdf.worker.min.js is loaded as a script).
  pdfjsLib.GlobalWorkerOptions.workerSrc = "@STATIC@workshop/vendor/pdfjs-3.11.174/pdf.worker.min.js";

  function openDocument(url) {
    var address = new URL(url, window.location.href);
    // This frame's origin is opaque: files of this site come through the page, others need CORS.
    var source = address.origin === new URL(window.location.href).origin
      ? pybossa.fetchFile(address.href).then(function (bytes) {
          return {data: new Uint8Array(bytes)};
        }, function (xhr) {
          throw new Error("could not read " + address.pathname + " (" + (xhr && xhr.status) + ")");
        })
      : $.Deferred().resolve({url: address.href, withCredentials: false}).promise();
    return source.then(function (params) {
      params.isEvalSupported = false;
      return pdfjsLib.getDocument(params).promise;
    });
  }

  function renderPage(doc, number) {
    return doc.getPage(number).then(function (page) {
      var canvas = document.getElementById("pdf-canvas");
      var width = canvas.parentNode.clientWidth || 600;
      var ratio = window.devicePixelRatio || 1;
      var viewport = page.getViewport({scale: (width / page.getViewport({scale: 1}).width) * ratio});
      canvas.width = viewport.width;
      canvas.height = viewport.height;
      return page.render({canvasContext: canvas.getContext("2d"), viewport: viewport}).promise;
    });
  }""",
    ),
}


def available() -> list[Presenter]:
    """The presenters this server offers, in ``PRESENTERS`` order."""
    return [PRESENTERS[name] for name in settings.PRESENTERS if name in PRESENTERS]


def template_choices() -> list[tuple[str, str]]:
    return [(p.name, gettext(p.title)) for p in available()]


def render_presenter(name: str, short_name: str) -> str:
    """The presenter HTML for a project, ready for the editor."""
    p = PRESENTERS[name]
    text = (HERE / "skeleton.html").read_text(encoding="utf-8")
    for marker, value in (
        ("@HELPERS@", p.helpers),
        ("@TITLE@", p.title),
        ("@QUESTION@", p.question),
        ("@ANSWER@", p.answer),
        ("@MEDIA@", p.media),
        ("@LOADED@", p.loaded),
        ("@PRESENT@", p.present),
        ("@SHORTCUTS@", p.shortcuts),
    ):
        text = text.replace(marker, value)
    # Packaged libraries (Leaflet, PDF.js) are our static files, wherever STATIC_URL puts them.
    text = text.replace("@STATIC@", settings.STATIC_URL)
    # JSON-encode the short name so no character in it can break out of the string literal.
    return text.replace('"@SHORT_NAME@"', json.dumps(short_name).replace("<", "\\u003c"))


def sample_tasks(name: str) -> list[dict]:
    """The sample tasks of a template (``TEMPLATE_TASKS`` may point at another JSON file)."""
    overrides = getattr(settings, "TEMPLATE_TASKS", {}) or {}
    path = Path(overrides[name]) if name in overrides else HERE / "samples" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))
