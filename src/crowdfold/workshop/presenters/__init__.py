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
            "Ask volunteers to locate a place by clicking on a world map (works offline: no tiles)."
        ),
        "Where is this city?",
        """      <p>Click the map where you think <strong id="city"></strong> is, then save.</p>
      <p>Your pick: <span id="pick">none yet</span></p>
      <button id="submit" class="btn btn-primary" disabled>Save location</button>""",
        """    <svg id="map" viewBox="0 0 360 180" style="width: 100%; background: #cfe8ff; cursor: crosshair">
      <g stroke="#9cc3e6" stroke-width="0.5">
        <line x1="0" y1="90" x2="360" y2="90"/><line x1="180" y1="0" x2="180" y2="180"/>
        <line x1="0" y1="45" x2="360" y2="45"/><line x1="0" y1="135" x2="360" y2="135"/>
        <line x1="90" y1="0" x2="90" y2="180"/><line x1="270" y1="0" x2="270" y2="180"/>
      </g>
      <circle id="marker" r="3" fill="#c0392b" style="display: none"/>
    </svg>""",
        RESOLVE,
        """    var pick = null;
    $("#city").text(task.info.city);
    $("#pick").text("none yet");
    $("#marker").hide();
    $("#submit").prop("disabled", true);
    $("#map").off("click").on("click", function (e) {
      var box = this.getBoundingClientRect();
      var x = ((e.clientX - box.left) / box.width) * 360, y = ((e.clientY - box.top) / box.height) * 180;
      pick = {lon: Math.round((x - 180) * 100) / 100, lat: Math.round((90 - y) * 100) / 100};
      $("#marker").attr({cx: x, cy: y}).show();
      $("#pick").text(pick.lat + ", " + pick.lon);
      $("#submit").prop("disabled", false);
    });
    $("#submit").off("click").on("click", function () {
      save(task, {city: task.info.city, lat: pick.lat, lon: pick.lon}, deferred);
    });
    $(document).off("keyup.presenter").on("keyup.presenter", function (e) {
      if (e.key === "Enter" && pick) { $("#submit").click(); }
    });""",
        "Enter saves your pick.",
    ),
    "pdf": Presenter(
        "pdf",
        gettext_noop("Transcribing documents"),
        gettext_noop("Show a page of a PDF document and ask volunteers to transcribe it."),
        "Please transcribe this page",
        """      <textarea id="transcription" class="form-control" rows="6" placeholder="Type what the page says"></textarea>
      <button id="submit" class="btn btn-primary">Save transcription</button>""",
        """    <object id="document" type="application/pdf" style="width: 100%; height: 420px">
      <a id="document-link" href="#" target="_blank" rel="noopener">Open the document</a>
    </object>""",
        RESOLVE,
        """    var url = task.info.pdf_url + (task.info.page ? "#page=" + task.info.page : "");
    $("#document").attr("data", url);
    $("#document-link").attr("href", url);
    $("#transcription").val("").focus();
    $("#submit").off("click").on("click", function () {
      save(task, {transcription: $("#transcription").val(), page: task.info.page || 1}, deferred);
    });
    $(document).off("keyup.presenter").on("keyup.presenter", function (e) {
      if (e.key === "Enter" && e.ctrlKey) { $("#submit").click(); }
    });""",
        "Ctrl+Enter saves.",
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
        ("@TITLE@", p.title),
        ("@QUESTION@", p.question),
        ("@ANSWER@", p.answer),
        ("@MEDIA@", p.media),
        ("@LOADED@", p.loaded),
        ("@PRESENT@", p.present),
        ("@SHORTCUTS@", p.shortcuts),
    ):
        text = text.replace(marker, value)
    # JSON-encode the short name so no character in it can break out of the string literal.
    return text.replace('"@SHORT_NAME@"', json.dumps(short_name).replace("<", "\\u003c"))


def sample_tasks(name: str) -> list[dict]:
    """The sample tasks of a template (``TEMPLATE_TASKS`` may point at another JSON file)."""
    overrides = getattr(settings, "TEMPLATE_TASKS", {}) or {}
    path = Path(overrides[name]) if name in overrides else HERE / "samples" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))
