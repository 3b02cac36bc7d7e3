// Turn every textarea.code into a CodeMirror editor (vendored, see vendor/README.md); the form
// still posts the textarea because CodeMirror writes back on submit.
document.querySelectorAll("textarea.code").forEach(function (area) {
  if (!window.CodeMirror) { return; }
  var editor = CodeMirror.fromTextArea(area, {
    mode: area.dataset.mode || "htmlmixed",
    lineNumbers: true,
    lineWrapping: true,
    indentUnit: 2,
  });
  editor.setSize(null, "32rem");
});
