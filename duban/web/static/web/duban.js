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

  // <button data-print>: print the page.
  if (target.closest("[data-print]")) {
    window.print();
  }
});
