/* The admin's forms, for the people who use them every day (issue 17).
 *
 * 1. A new document's title: Wagtail pre-fills the file name (« guide-tresorerie »); we show
 *    a readable name (« Guide tresorerie »). When the form is saved, the title written in the
 *    file replaces it if there is one (crdla.core.document_titles, which knows both forms).
 * 2. Autosave waits while a dialog (document, image or page chooser, upload) is open: it
 *    would otherwise create the page, or save a half-made change, behind the dialog. It runs
 *    again when the dialog closes.
 */
(function () {
  "use strict";

  function readableName(filename) {
    var stem = (filename || "").replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
    var words = stem.replace(/[-_.\s]+/g, " ").trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  function titleFromFileName(event) {
    var detail = event.detail || {};
    if (!detail.data || !detail.filename) return;
    var title = readableName(detail.filename);
    if (detail.maxTitleLength) title = title.slice(0, detail.maxTitleLength);
    detail.data.title = title;
  }
  document.addEventListener("wagtail:documents-upload", titleFromFileName);
  document.addEventListener("wagtail:images-upload", titleFromFileName);

  function dialogOpen() {
    return document.body.classList.contains("modal-open") || !!document.querySelector(".modal.show");
  }

  var waiting = null;
  document.addEventListener("w-autosave:save", function (event) {
    if (!dialogOpen()) return;
    event.preventDefault();
    waiting = event.target;
  });

  new MutationObserver(function () {
    if (!waiting || dialogOpen()) return;
    var form = waiting;
    waiting = null;
    var app = window.wagtail && window.wagtail.app;
    var autosave = app && app.getControllerForElementAndIdentifier(form, "w-autosave");
    if (autosave) autosave.save(new CustomEvent("crdla:dialog-closed"));
  }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
})();
