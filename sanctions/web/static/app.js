// Small keyboard and file helpers for the analyst UI. Everything works without this script.
(function () {
  "use strict";
  // "/" focuses the main input of the page, as in most search tools.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var target = document.querySelector("[autofocus]");
    if (target) { event.preventDefault(); target.focus(); }
  });
  // Ctrl/Cmd+Enter submits the document text area.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.tagName === "TEXTAREA") {
      var form = event.target.form;
      if (form) { event.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); }
    }
  });
})();
