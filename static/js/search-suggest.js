// Knowledge-base search: titles suggested as you type (a file, not inline: the CSP forbids
// inline scripts).
(function () {
  // Progressive enhancement: titles suggested as you type; the form works without it.
  var input = document.getElementById("search-q"), list = document.getElementById("search-suggestions"), timer;
  if (!input || !window.fetch) return;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var value = input.value.trim();
    if (value.length < 2) return;
    timer = setTimeout(function () {
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(value), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          list.textContent = "";
          data.suggestions.forEach(function (s) { var o = document.createElement("option"); o.value = s.title; list.appendChild(o); });
        }).catch(function () {});
    }, 200);
  });
})();
