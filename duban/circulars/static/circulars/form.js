/* The draft form: choosing a kind fills in its last complete period (from the #periods JSON). */
document.addEventListener("DOMContentLoaded", function () {
  var kind = document.getElementById("id_kind");
  var data = document.getElementById("periods");
  if (!kind || !data) return;
  kind.addEventListener("change", function () {
    var p = JSON.parse(data.textContent)[this.value];
    if (!p) return;
    document.getElementById("id_period_start").value = p[0];
    document.getElementById("id_period_end").value = p[1];
  });
});
