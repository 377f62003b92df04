// Main menu groups (<details>): one open at a time, Escape or a click elsewhere closes them.
// Without this script the groups still open and close with a click or the keyboard.
(function () {
  "use strict";
  function groups() {
    return Array.prototype.slice.call(document.querySelectorAll(".main-nav details"));
  }
  document.addEventListener("DOMContentLoaded", function () {
    groups().forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (!group.open) return;
        groups().forEach(function (other) {
          if (other !== group) other.open = false;
        });
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      groups().forEach(function (group) {
        if (!group.open) return;
        group.open = false;
        if (group.contains(document.activeElement)) group.querySelector("summary").focus();
      });
    });
    document.addEventListener("click", function (event) {
      groups().forEach(function (group) {
        if (group.open && !group.contains(event.target)) group.open = false;
      });
    });
  });
})();
