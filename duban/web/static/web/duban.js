/* Behaviour the pages used to carry inline (onclick=...), moved here so the Content-Security-Policy
   can forbid inline scripts (issue 8, point 5). Listeners sit on the document, so rows and buttons
   that htmx swaps in later work too. */
document.addEventListener("click", function (event) {
  var target = event.target;
  if (!(target instanceof Element)) return;

  // <input type="checkbox" data-check-all="items">: tick or untick every input[name=items].
  var all = target.closest("[data-check-all]");
  if (all) {
    var name = all.getAttribute("data-check-all");
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
    return;
  }

  // <button data-confirm="question">: go on only if the person agrees.
  var asking = target.closest("[data-confirm]");
  if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
    event.preventDefault();
    return;
  }

  // <button data-print>: print the page.
  if (target.closest("[data-print]")) {
    window.print();
  }
});

// <select data-autosubmit>: a filter that applies as soon as it is chosen.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof Element && target.matches("[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
