// The page side of the presenter sandbox. The project's presenter runs in
// <iframe sandbox="allow-scripts"> (an opaque origin, no cookies); its runtime (pybossa.js) asks
// this script, by postMessage, for a short whitelist of API calls, which we perform for the
// current project only, with the volunteer's session. We also keep the address bar, the progress
// bar and the Skip button in step with the task on screen.
(function (window, document) {
  "use strict";

  var MAX_OFFSET = 2;
  var config = null;
  var currentTaskId = null;

  function cfg() {
    if (!config) {
      config = JSON.parse(document.getElementById("cf-bridge-config").textContent);
      currentTaskId = config.task ? config.task.id : null;
    }
    return config;
  }

  function frame() {
    return document.getElementById("cf-presenter");
  }

  // Interface strings come from Django's JavaScript catalogue (djangojs domain), which the page
  // loads before this file; without it they stay in English.
  var gettext = typeof window.gettext === "function" ? window.gettext : function (text) { return text; };

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function toInt(value, fallback) {
    if (value === null || value === undefined || value === "") {
      return fallback;
    }
    var n = Number(value);
    return Number.isInteger(n) && n >= 0 ? n : fallback;
  }

  function api(method, path, body) {
    var init = {
      method: method,
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return window.fetch(cfg().apiRoot + path, init).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try {
          data = text ? JSON.parse(text) : null;
        } catch (err) {
          data = null;
        }
        return { ok: response.ok, status: response.status, body: data, text: text };
      });
    });
  }

  function answer(body) {
    return Promise.resolve({ ok: true, status: 200, body: body });
  }

  function refuse(status, message) {
    return Promise.resolve({
      ok: false,
      status: status,
      body: { status: "failed", status_code: status, exception_cls: "Forbidden", exception_msg: message },
    });
  }

  // --- the whitelist: what a presenter may ask for --------------------------------------------
  var calls = {
    project: function () {
      return answer([cfg().project]);
    },
    newtask: function (args) {
      // pybossa.js asks for offsets 0 to 2; more would only hoard reservations.
      var offset = Math.min(toInt(args.offset, 0), MAX_OFFSET);
      return api("GET", "project/" + cfg().project.id + "/newtask?offset=" + offset);
    },
    task: function (args) {
      var id = toInt(args.id, null);
      if (id === null) {
        return refuse(400, "Invalid task id");
      }
      if (cfg().task && cfg().task.id === id) {
        return answer(cfg().task);
      }
      return api("GET", "task/" + id).then(function (reply) {
        if (reply.ok && (!reply.body || reply.body.project_id !== cfg().project.id)) {
          return refuse(403, "This task belongs to another project");
        }
        return reply;
      });
    },
    taskrun: function (args) {
      var body = { project_id: cfg().project.id, task_id: toInt(args.task_id, -1), info: args.info };
      return api("POST", "taskrun", body).then(function (reply) {
        if (reply.ok) {
          refreshProgress();
        }
        return reply;
      });
    },
    userprogress: function () {
      return api("GET", "project/" + encodeURIComponent(cfg().project.short_name) + "/userprogress");
    },
    skip: function (args) {
      var body = { task_id: toInt(args.task_id, -1) };
      return api("POST", "project/" + cfg().project.id + "/skip", body);
    },
  };

  // A file of this site (our static files, uploads) for a presenter that must read its bytes,
  // e.g. the pdf template's pdf.js: the frame's opaque origin may not read them itself. Fetched
  // without cookies, so the frame learns nothing a stranger could not download.
  var MAX_FILE_BYTES = 50 * 1024 * 1024;

  function fileCall(args) {
    var url;
    try {
      url = new URL(String(args.url), window.location.href);
    } catch (err) {
      return refuse(400, "Invalid URL");
    }
    var prefixes = cfg().filePrefixes || [];
    var allowed = url.origin === window.location.origin && prefixes.some(function (prefix) {
      return url.pathname.indexOf(prefix) === 0;
    });
    if (!allowed) {
      return refuse(403, "Only this site's public files can be read through the page");
    }
    return window.fetch(url.href, { credentials: "omit", redirect: "error" }).then(function (response) {
      if (!response.ok) {
        return { ok: false, status: response.status, body: null, text: "" };
      }
      return response.arrayBuffer().then(function (buffer) {
        if (buffer.byteLength > MAX_FILE_BYTES) {
          return refuse(413, "File too large");
        }
        return { ok: true, status: 200, body: buffer, text: "" };
      });
    });
  }
  calls.file = fileCall;

  // --- the presenter editor's preview: a real task, nothing stored -----------------------------
  var preview = { answered: 0 };

  function previewTask(index) {
    var tasks = cfg().previewTasks || [];
    return index < tasks.length ? tasks[index] : {};
  }

  function logPreview(text) {
    var log = document.getElementById("cf-preview-log");
    if (log) {
      var line = document.createElement("li");
      line.textContent = text;
      log.appendChild(line);
    }
  }

  var previewCalls = {
    project: calls.project,
    file: fileCall,
    newtask: function (args) {
      return answer(previewTask(preview.answered + Math.min(toInt(args.offset, 0), MAX_OFFSET)));
    },
    task: function (args) {
      var id = toInt(args.id, null);
      var found = (cfg().previewTasks || []).filter(function (t) { return t.id === id; })[0];
      return found ? answer(found) : refuse(404, "Not a preview task");
    },
    taskrun: function (args) {
      // Stubbed: the answer is shown, never sent to the server.
      preview.answered += 1;
      logPreview(fmt(gettext("Task #%(id)s: %(answer)s (not stored)"), {
        id: toInt(args.task_id, 0), answer: JSON.stringify(args.info),
      }));
      return answer({ id: null, task_id: toInt(args.task_id, null), project_id: cfg().project.id, info: args.info });
    },
    userprogress: function () {
      return answer({ done: preview.answered, total: (cfg().previewTasks || []).length });
    },
    skip: function (args) {
      preview.answered += 1;
      return answer({ skipped: toInt(args.task_id, null) });
    },
  };

  // --- notices: what the frame tells us, without an answer ------------------------------------
  var notices = {
    resize: function (args) {
      var height = Math.min(Math.max(toInt(Math.ceil(args.height), 0), 160), 20000);
      frame().style.height = height + "px";
    },
    present: function (args) {
      var id = toInt(args.task_id, null);
      currentTaskId = id;
      if (cfg().mode === "preview") {
        var status = document.getElementById("cf-preview-status");
        if (status) {
          status.textContent = id === null
            ? gettext("Preview: no tasks left (the end screen).")
            : fmt(gettext("Preview: task #%(id)s"), { id: id });
        }
        return;
      }
      if (id === null) {
        showDone();
        return;
      }
      var path = cfg().urls.taskPrefix + id;
      if (window.location.pathname !== path) {
        window.history.pushState({ taskId: id }, "", path);
      }
      setSkip(true);
      showError("");
    },
    error: function (args) {
      var status = toInt(args.status, 0);
      var text = typeof args.message === "string" && args.message ? args.message : "";
      var base = status
        ? fmt(gettext("Sorry, the next task could not be loaded (%(status)s)"), { status: status })
        : gettext("Sorry, the next task could not be loaded");
      showError(base + (text ? ": " + text : "."));
    },
    open: function (args) {
      // Only right after the volunteer clicked in the frame (activation reaches this page too),
      // so a presenter cannot send people away or open windows on its own.
      if (window.navigator.userActivation && !window.navigator.userActivation.isActive) {
        return;
      }
      var url;
      try {
        url = new URL(String(args.url), window.location.href);
      } catch (err) {
        return;
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        return;
      }
      if (args.newTab) {
        window.open(url.href, "_blank", "noopener,noreferrer");
      } else {
        window.location.assign(url.href);
      }
    },
  };

  function reply(target, id, result) {
    // The frame's origin is opaque, so "*" is the only target origin that reaches it; `target`
    // is our own iframe's window, checked below.
    target.postMessage({
      cf: "crowdfold-bridge", id: id, ok: !!result.ok, status: result.status,
      body: result.body, text: result.text,
    }, "*");
  }

  window.addEventListener("message", function (event) {
    var element = frame();
    if (!element || event.source !== element.contentWindow || event.origin !== "null") {
      return;
    }
    var message = event.data;
    if (!message || typeof message !== "object" || message.cf !== "pybossa" || typeof message.op !== "string") {
      return;
    }
    var args = message.args && typeof message.args === "object" ? message.args : {};
    if (Object.prototype.hasOwnProperty.call(notices, message.op)) {
      notices[message.op](args);
      return;
    }
    var source = event.source;
    var table = { presenter: calls, preview: previewCalls }[cfg().mode];
    if (!table || !Object.prototype.hasOwnProperty.call(table, message.op)) {
      refuse(403, "Not allowed: " + message.op).then(reply.bind(null, source, message.id));
      return;
    }
    table[message.op](args).then(
      function (result) { reply(source, message.id, result); },
      function (err) { reply(source, message.id, { ok: false, status: 0, body: null, text: String(err) }); }
    );
  });

  // --- the page around the frame ---------------------------------------------------------------
  function refreshProgress() {
    calls.userprogress().then(function (result) {
      if (!result.ok || !result.body) {
        return;
      }
      var done = toInt(result.body.done, 0);
      var total = toInt(result.body.total, 0);
      var text = document.getElementById("cf-progress-text");
      var fill = document.getElementById("cf-progress-fill");
      if (text) {
        // "%(done)s of %(total)s" with the done count in bold, whatever the word order.
        var parts = fmt(gettext("%(done)s of %(total)s"), { total: total }).split("%(done)s");
        var strong = document.createElement("strong");
        strong.textContent = String(done);
        text.textContent = parts[0];
        text.appendChild(strong);
        text.appendChild(document.createTextNode(parts.slice(1).join("")));
      }
      if (fill) {
        fill.style.width = (total ? Math.round((100 * done) / total) : 0) + "%";
      }
    });
  }

  function setSkip(enabled) {
    var button = document.getElementById("cf-skip");
    if (button) {
      button.disabled = !enabled;
      button.hidden = false;
    }
  }

  function showError(text) {
    var box = document.getElementById("cf-error");
    if (box) {
      box.textContent = text;
      box.hidden = !text;
    }
  }

  function showDone() {
    var done = document.getElementById("cf-done");
    var shell = document.querySelector(".presenter-shell");
    var skip = document.getElementById("cf-skip");
    if (done && shell) {
      shell.hidden = true;
      done.hidden = false;
    }
    if (skip) {
      skip.hidden = true;
    }
    refreshProgress();
  }

  function skipCurrent() {
    if (currentTaskId === null) {
      return;
    }
    setSkip(false);
    calls.skip({ task_id: currentTaskId }).then(function (result) {
      if (!result.ok) {
        showError(result.status
          ? fmt(gettext("This task could not be skipped (%(status)s)."), { status: result.status })
          : gettext("This task could not be skipped."));
        setSkip(true);
        return;
      }
      // Start the presenter afresh on the next task.
      currentTaskId = null;
      cfg().task = null;
      window.history.replaceState({}, "", cfg().urls.newtask);
      frame().src = cfg().frameUrl;
    });
  }

  function forwardKey(event) {
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
      return;
    }
    if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) {
      return;
    }
    if (event.key === "Tab" || event.key === "Enter" || event.key === " " || event.key === "Escape") {
      return; // keep the page's own keyboard navigation
    }
    var element = frame();
    if (!element || !element.contentWindow || cfg().mode !== "presenter") {
      // (the editor's preview has a code editor on the page: its keys stay there)
      return;
    }
    element.contentWindow.postMessage({
      cf: "crowdfold-bridge", event: "key", key: event.key, code: event.code,
      keyCode: event.keyCode, shiftKey: event.shiftKey,
    }, "*");
  }

  // Called by the editor before each preview run: start again from the first task.
  window.crowdfoldBridgeRestartPreview = function () {
    preview.answered = 0;
    var log = document.getElementById("cf-preview-log");
    if (log) {
      log.innerHTML = "";
    }
  };

  document.addEventListener("DOMContentLoaded", function () {
    var skip = document.getElementById("cf-skip");
    if (skip) {
      skip.addEventListener("click", skipCurrent);
    }
    var element = frame();
    if (element) {
      element.addEventListener("load", function () {
        element.focus();
      });
    }
    document.addEventListener("keydown", forwardKey);
  });

  // Back and forward move between task URLs the frame no longer shows: reload to stay truthful.
  window.addEventListener("popstate", function () {
    window.location.reload();
  });
})(window, document);
