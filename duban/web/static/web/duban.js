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

// <select data-lookup="/lookup/units/">: the page holds only the chosen options; the others are
// searched as the person types (Tom Select, vendored), so a form never renders hundreds of units.
function dubanLookups(root) {
  if (!window.TomSelect || !root.querySelectorAll) return;
  root.querySelectorAll("select[data-lookup]").forEach(function (select) {
    if (select.tomselect) return;
    var url = select.getAttribute("data-lookup");
    new window.TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      maxOptions: 50,
      preload: "focus",
      loadThrottle: 200,
      // A filter's empty choice (全部单位) is a choice; a required field's "---------" is not.
      allowEmptyOption: !select.required,
      placeholder: "输入名称查找",
      plugins: select.multiple ? ["remove_button"] : [],
      shouldLoad: function () { return true; },
      // A single choice is made: leave the box, so that it shrinks back to one line at once (a
      // button beside it must not move under the pointer) and a late answer cannot reopen it.
      onItemAdd: function () {
        if (!select.multiple) {
          this.setTextboxValue("");
          this.blur();
        }
      },
      load: function (query, callback) {
        fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (data) { callback(data.results); }, function () { callback(); });
      },
      render: {
        no_results: function () { return '<div class="no-results">没有匹配的单位</div>'; },
        loading: function () { return '<div class="spinner-border spinner-border-sm m-2" role="status"><span class="visually-hidden">加载中</span></div>'; }
      }
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { dubanLookups(document); });
document.addEventListener("htmx:load", function (event) { dubanLookups(event.target); });
