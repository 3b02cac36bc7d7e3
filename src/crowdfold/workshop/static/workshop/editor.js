// Turn every textarea.code into a CodeMirror editor (vendored, see vendor/README.md); the form
// still posts the textarea because CodeMirror writes back on submit. On the presenter editor,
// "Preview" posts the editor's current code into the sandboxed preview frame (bridge.js answers
// it with the project's first tasks and stores nothing).
(function () {
  "use strict";
  var editors = [];
  document.querySelectorAll("textarea.code").forEach(function (area) {
    if (!window.CodeMirror) { return; }
    var editor = CodeMirror.fromTextArea(area, {
      mode: area.dataset.mode || "htmlmixed",
      lineNumbers: true,
      lineWrapping: true,
      indentUnit: 2,
    });
    editor.setSize(null, "32rem");
    editors.push({ area: area, editor: editor });
  });

  var form = document.getElementById("preview-form");
  if (!form) { return; }
  function code() {
    var found = editors.filter(function (e) { return e.area.id === "id_editor"; })[0];
    return found ? found.editor.getValue() : document.getElementById("id_editor").value;
  }
  function runPreview() {
    if (window.crowdfoldBridgeRestartPreview) { window.crowdfoldBridgeRestartPreview(); }
    document.getElementById("preview-code").value = code();
    form.submit();
  }
  document.getElementById("preview-run").addEventListener("click", runPreview);
  runPreview();
})();
