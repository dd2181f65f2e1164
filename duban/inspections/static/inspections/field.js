/* The phone page for a finding (issue 12, point 2). No inline script: the site's
 * Content-Security-Policy allows scripts from 'self' only.
 *
 * - Save as you go: the typed text and the chosen target are kept in localStorage on every
 *   keystroke, restored when the page is opened again, and cleared once the finding is saved.
 * - Time and place: the capture time is taken when the page opens (or a photo is chosen); the
 *   position is asked of navigator.geolocation and sent only if the device gives it.
 * - Upload: the finding's text is saved first; then each photo or video is sent on its own with a
 *   progress bar; a file whose upload fails (dropped connection, timeout) gets a 重试 button and
 *   the finding is not created twice.
 */
(function () {
  "use strict";
  var form = document.getElementById("finding-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var key = form.getAttribute("data-draft-key");
  var text = form.querySelector("[name=text]");
  var target = form.querySelector("[name=target]");
  var captured = form.querySelector("[name=captured_at]");
  var lat = form.querySelector("[name=latitude]");
  var lng = form.querySelector("[name=longitude]");
  var acc = form.querySelector("[name=accuracy_m]");
  var photos = document.getElementById("id_photos");
  var videos = document.getElementById("id_videos");
  var draftStatus = document.getElementById("draft-status");
  var geoStatus = document.getElementById("geo-status");
  var list = document.getElementById("upload-list");
  var errorBox = document.getElementById("form-error");
  var saveButton = document.getElementById("save-finding");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var state = { finding: null, uploadUrl: null, doneUrl: null, pending: 0, failed: 0 };

  function store(quiet) {
    try {
      localStorage.setItem(key, JSON.stringify({
        text: text.value, target: target.value, captured_at: captured.value,
        latitude: lat.value, longitude: lng.value, accuracy_m: acc.value, finding: state.finding,
        upload_url: state.uploadUrl, done_url: state.doneUrl, saved: new Date().toISOString()
      }));
      if (quiet === true) { return; }
      draftStatus.textContent = "草稿已自动保存在本机（" + new Date().toLocaleTimeString("zh-CN") + "）";
    } catch (e) { draftStatus.textContent = "本机无法保存草稿"; }
  }

  function restore() {
    var raw = null;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw) { return; }
    var d;
    try { d = JSON.parse(raw); } catch (e) { return; }
    if (!text.value && d.text) { text.value = d.text; }
    if (!target.value && d.target) { target.value = d.target; }
    if (d.captured_at) { captured.value = d.captured_at; }
    if (d.latitude) { lat.value = d.latitude; lng.value = d.longitude; acc.value = d.accuracy_m || ""; showPlace(); }
    if (d.finding) { state.finding = d.finding; state.uploadUrl = d.upload_url; state.doneUrl = d.done_url; }
    draftStatus.textContent = "已恢复本机保存的草稿" + (d.finding ? "（文字已保存，请重新选择未上传的照片）" : "");
  }

  function showPlace() {
    geoStatus.textContent = "位置：已获取（±" + (acc.value || "?") + " 米）";
  }

  function locate() {
    if (!navigator.geolocation) { geoStatus.textContent = "位置：本设备不支持定位"; return; }
    geoStatus.textContent = "位置：正在获取…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
      acc.value = Math.round(pos.coords.accuracy || 0);
      showPlace();
      store(true);
    }, function () {
      geoStatus.textContent = "位置：未获取（未授权或无信号，可不填）";
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  function showError(msg) {
    errorBox.textContent = msg;
    errorBox.classList.toggle("d-none", !msg);
  }

  function upload(file, row) {
    var bar = row.querySelector(".progress-bar");
    var label = row.querySelector(".upload-state");
    var retry = row.querySelector("button");
    retry.classList.add("d-none");
    label.textContent = "上传中";
    state.pending += 1;
    var body = new FormData();
    body.append("file", file);
    if (file.lastModified) { body.append("captured_at", new Date(file.lastModified).toISOString()); }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", state.uploadUrl);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.timeout = 300000;
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        var pct = Math.round(e.loaded * 100 / e.total);
        bar.style.width = pct + "%";
        bar.setAttribute("aria-valuenow", pct);
      }
    };
    function finish(ok, msg) {
      state.pending -= 1;
      if (ok) {
        bar.style.width = "100%";
        bar.classList.add("bg-success");
        label.textContent = "已上传";
        row.setAttribute("data-done", "1");
      } else {
        state.failed += 1;
        bar.classList.add("bg-danger");
        label.textContent = msg || "上传失败";
        retry.classList.remove("d-none");
      }
      done();
    }
    xhr.onload = function () {
      var msg = null;
      try { msg = JSON.parse(xhr.responseText).detail; } catch (e) { msg = null; }
      finish(xhr.status >= 200 && xhr.status < 300, msg || ("上传失败（" + xhr.status + "）"));
    };
    xhr.onerror = function () { finish(false, "网络中断，上传失败"); };
    xhr.ontimeout = function () { finish(false, "上传超时"); };
    retry.onclick = function (e) { e.preventDefault(); state.failed -= 1; bar.classList.remove("bg-danger"); upload(file, row); };
    xhr.send(body);
  }

  function addRow(file) {
    var li = document.createElement("li");
    li.className = "dn-upload mb-1";
    var name = document.createElement("div");
    name.className = "d-flex justify-content-between gap-2";
    var n = document.createElement("span");
    n.textContent = file.name + "（" + (file.size / 1048576).toFixed(1) + " MB）";
    var s = document.createElement("span");
    s.className = "upload-state";
    s.textContent = "等待";
    name.appendChild(n); name.appendChild(s);
    var prog = document.createElement("div");
    prog.className = "progress";
    prog.setAttribute("role", "progressbar");
    prog.setAttribute("aria-label", "上传进度");
    var bar = document.createElement("div");
    bar.className = "progress-bar";
    bar.style.width = "0%";
    prog.appendChild(bar);
    var retry = document.createElement("button");
    retry.className = "btn btn-sm btn-outline-danger mt-1 d-none";
    retry.type = "button";
    retry.textContent = "重试";
    li.appendChild(name); li.appendChild(prog); li.appendChild(retry);
    list.appendChild(li);
    return li;
  }

  function done() {
    if (state.pending > 0) { return; }
    if (state.failed > 0) {
      saveButton.disabled = false;
      saveButton.textContent = "完成（放弃未上传的文件）";
      showError("有文件未上传成功：网络恢复后点“重试”");
      return;
    }
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    window.location.assign(state.doneUrl);
  }

  function files() {
    var all = [];
    [photos, videos].forEach(function (input) {
      for (var i = 0; i < input.files.length; i += 1) { all.push(input.files[i]); }
    });
    return all;
  }

  function sendFiles() {
    var chosen = files();
    saveButton.disabled = true;
    saveButton.textContent = "正在上传…";
    if (!chosen.length) { done(); return; }
    chosen.forEach(function (f) { upload(f, addRow(f)); });
  }

  form.addEventListener("input", function () { store(); });
  form.addEventListener("change", function (e) {
    if (e.target === photos || e.target === videos) {
      var f = e.target.files[0];
      if (f && f.lastModified && !state.finding) { captured.value = new Date(f.lastModified).toISOString(); }
    }
    store();
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    showError("");
    if (state.finding && state.failed > 0 && state.pending === 0) {
      // The user gives up on the failed files: the finding and the others are saved.
      try { localStorage.removeItem(key); } catch (err) { /* nothing kept */ }
      window.location.assign(state.doneUrl);
      return;
    }
    if (state.finding) { sendFiles(); return; }
    var body = new FormData(form);
    body.delete("photos");
    body.delete("videos");
    saveButton.disabled = true;
    saveButton.textContent = "正在保存…";
    fetch(form.action || window.location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf }
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      if (!res.ok) {
        showError(res.data.detail || "保存失败");
        saveButton.disabled = false;
        saveButton.textContent = "保存";
        return;
      }
      state.finding = res.data.finding;
      state.uploadUrl = res.data.upload_url;
      state.doneUrl = res.data.done_url;
      store(true);
      sendFiles();
    }).catch(function () {
      showError("网络中断，未能保存。文字已保存在本机，信号恢复后再点“保存”。");
      saveButton.disabled = false;
      saveButton.textContent = "保存";
    });
  });

  if (!captured.value) { captured.value = new Date().toISOString(); }
  restore();
  locate();
})();
