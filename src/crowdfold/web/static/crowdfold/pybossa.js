// Crowdfold's pybossa.js: the task presenter runtime, compatible with PYBOSSA's pybossa.js API
// (run, taskLoaded, presentTask, saveTask, userProgress, newTask, getCurrentTaskId, setEndpoint).
//
// It runs inside the sandboxed presenter frame, whose origin is opaque: it never calls the API
// itself. Every call is a postMessage request to the page around the frame (bridge.js), which
// performs a short whitelist of calls for the current project with the volunteer's session and
// posts the result back. Promises are jQuery Deferreds, as stock presenters expect.
(function (window, document, $) {
  "use strict";

  var pybossa = (window.pybossa = window.pybossa || {});
  var configElement = document.getElementById("cf-frame-config");
  var config = configElement ? JSON.parse(configElement.textContent) : {};
  // This document's origin is opaque ("null"), but its URL is on our site: that is the only
  // origin the page around us may have.
  var parentOrigin = new URL(window.location.href).origin;
  var endpoint = "/";
  var pending = {};
  var nextId = 1;
  var currentTaskId = config.taskId || null;

  if ($) {
    $.migrateMute = true; // jQuery Migrate keeps old presenters working; its warnings are noise here
    $.migrateTrace = false;
  }

  // --- messaging with the page ----------------------------------------------------------------
  function send(message) {
    message.cf = "pybossa";
    window.parent.postMessage(message, parentOrigin);
  }

  function notify(op, args) {
    send({ op: op, args: args || {} });
  }

  // A jqXHR look-alike, so `.fail(function (xhr) { xhr.status; xhr.responseJSON })` works.
  function fakeXhr(reply) {
    return {
      status: reply.status,
      statusText: reply.ok ? "success" : "error",
      responseJSON: reply.body,
      responseText: reply.text !== undefined ? reply.text : JSON.stringify(reply.body),
      readyState: 4,
    };
  }

  function call(op, args) {
    var deferred = $.Deferred();
    var id = nextId++;
    pending[id] = deferred;
    send({ id: id, op: op, args: args || {} });
    return deferred.promise();
  }

  function dispatchKey(message) {
    // Keys typed while the page (not the frame) has focus, so keyboard shortcuts always work.
    var target = document.activeElement || document.body;
    var types = ["keydown", "keypress", "keyup"];
    for (var i = 0; i < types.length; i++) {
      if (types[i] === "keypress" && String(message.key || "").length !== 1) {
        continue;
      }
      var event = new KeyboardEvent(types[i], {
        key: message.key, code: message.code, bubbles: true, cancelable: true,
        shiftKey: !!message.shiftKey,
      });
      var keyCode = types[i] === "keypress" ? String(message.key).charCodeAt(0) : message.keyCode;
      Object.defineProperty(event, "keyCode", { get: function () { return keyCode; } });
      Object.defineProperty(event, "which", { get: function () { return keyCode; } });
      target.dispatchEvent(event);
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== parentOrigin) {
      return;
    }
    var message = event.data;
    if (!message || typeof message !== "object" || message.cf !== "crowdfold-bridge") {
      return;
    }
    if (message.event === "key") {
      dispatchKey(message);
      return;
    }
    var deferred = pending[message.id];
    if (!deferred) {
      return;
    }
    delete pending[message.id];
    if (message.ok) {
      deferred.resolve(message.body, "success", fakeXhr(message));
    } else {
      deferred.reject(fakeXhr(message), "error", message.status ? String(message.status) : "");
    }
  });

  // --- the frame's size and links ---------------------------------------------------------------
  var sizeQueued = false;
  function reportHeight() {
    if (sizeQueued) {
      return;
    }
    sizeQueued = true;
    window.requestAnimationFrame(function () {
      sizeQueued = false;
      var body = document.body;
      if (!body) {
        return;
      }
      var style = window.getComputedStyle(body);
      var height = body.getBoundingClientRect().height +
        parseFloat(style.marginTop || 0) + parseFloat(style.marginBottom || 0);
      notify("resize", { height: Math.ceil(height) });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    reportHeight();
    if (window.ResizeObserver) {
      new window.ResizeObserver(reportHeight).observe(document.body);
    }
  });
  window.addEventListener("load", reportHeight);

  // A sandboxed frame may not open windows or navigate the page; links ask the page to do it.
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || event.defaultPrevented) {
      return;
    }
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#" || /^javascript:/i.test(href)) {
      return;
    }
    event.preventDefault();
    notify("open", {
      url: new URL(href, window.location.href).href,
      newTab: (link.getAttribute("target") || "").toLowerCase() === "_blank",
    });
  });

  // --- the PYBOSSA API ------------------------------------------------------------------------
  function fetchProject(shortName) {
    return call("project", { short_name: shortName });
  }

  function fetchNewTask(projectId, offset) {
    return call("newtask", { project_id: projectId, offset: offset || 0 });
  }

  function fetchTask(taskId) {
    return call("task", { id: taskId });
  }

  function saveTaskRun(task, answer) {
    return call("taskrun", { project_id: task.project_id, task_id: task.id, info: answer });
  }

  function parseTaskId(url) {
    var parts = String(url).split("/");
    for (var i = 0; i < parts.length - 1; i++) {
      if (parts[i] === "task" && parts[i + 1] !== "") {
        return parts[i + 1];
      }
    }
    return false;
  }

  var userTaskLoaded = function (task, deferred) {
    deferred.resolve(task);
  };
  var userPresentTask = function (task, deferred) {
    deferred.resolve(task);
  };

  function taskLoaded(task, deferred) {
    var loaded = $.Deferred();
    userTaskLoaded(task, loaded);
    loaded.done(function (enriched) {
      deferred.resolve(enriched);
    });
  }

  function reportError(op, xhr) {
    var body = xhr && xhr.responseJSON;
    notify("error", {
      op: op,
      status: xhr ? xhr.status : 0,
      message: body && body.exception_msg ? body.exception_msg : "",
    });
  }

  function run(shortName) {
    fetchProject(shortName).done(function (projects) {
      var project = projects && projects[0];
      if (!project) {
        reportError("project", { status: 404, responseJSON: { exception_msg: "Unknown project " + shortName } });
        return;
      }

      function getNextTask(offset, previousTask) {
        var deferred = $.Deferred();
        var first = previousTask === undefined && currentTaskId;
        var request = first ? fetchTask(currentTaskId) : fetchNewTask(project.id, offset);
        request.done(function (task) {
          if (previousTask && task.id !== undefined && task.id === previousTask.id) {
            fetchNewTask(project.id, offset + 1).done(function (other) {
              taskLoaded(other, deferred);
            }).fail(reportError.bind(null, "newtask"));
          } else {
            taskLoaded(task, deferred);
          }
        }).fail(function (xhr) {
          if (first) {
            // The task named in the URL is gone: carry on with the next one instead.
            currentTaskId = null;
            getNextTask(0, undefined).done(deferred.resolve);
          } else {
            reportError("newtask", xhr);
          }
        });
        return deferred.promise();
      }

      function loop(task) {
        var solved = $.Deferred();
        var empty = !task || $.isEmptyObject(task);
        currentTaskId = empty ? null : task.id;
        notify("present", { task_id: empty ? null : task.id });
        if (empty) {
          userPresentTask(task || {}, solved);
          return;
        }
        // Preload the next task while the volunteer works on this one.
        var nextLoaded = getNextTask(1, task);
        userPresentTask(task, solved);
        $.when(nextLoaded, solved).done(loop);
      }

      getNextTask(0, undefined).done(loop);
    }).fail(reportError.bind(null, "project"));
  }

  pybossa.run = function (shortName) {
    return run(shortName);
  };

  pybossa.taskLoaded = function (fn) {
    userTaskLoaded = fn;
  };

  pybossa.presentTask = function (fn) {
    userPresentTask = fn;
  };

  pybossa.saveTask = function (taskOrId, answer) {
    // PYBOSSA fetches the task first when given an id; the bridge knows the project, so the id
    // is all we need.
    var task = typeof taskOrId === "object" && taskOrId !== null
      ? taskOrId
      : { id: parseInt(taskOrId, 10), project_id: undefined };
    return saveTaskRun(task, answer);
  };

  pybossa.newTask = function (shortName) {
    return fetchProject(shortName).then(function (projects) {
      var project = projects[0];
      return fetchNewTask(project.id, 0).then(function (task) {
        return { question: project.description, task: task };
      });
    });
  };

  pybossa.userProgress = function (shortName) {
    return call("userprogress", { project: shortName });
  };

  // Crowdfold's addition: the bytes (an ArrayBuffer) of a file on this site (static files,
  // uploads), which this frame's opaque origin may not read itself; the page fetches it.
  pybossa.fetchFile = function (url) {
    return call("file", { url: new URL(url, window.location.href).href });
  };

  // What this server tells stock presenters (e.g. the map template's tile server).
  pybossa.settings = config.settings || {};

  pybossa.getCurrentTaskId = function (url) {
    if (url !== undefined) {
      return parseTaskId(url);
    }
    return currentTaskId ? String(currentTaskId) : false;
  };

  pybossa.setEndpoint = function (url) {
    // Kept for compatibility: requests always go through the page, to this site.
    endpoint = url.charAt(url.length - 1) === "/" ? url : url + "/";
    return endpoint;
  };

  // Crowdfold extension: pass on the current task (the page's Skip button does the same).
  pybossa.skipTask = function (taskId) {
    return call("skip", { task_id: taskId || currentTaskId });
  };
})(window, document, window.jQuery);
