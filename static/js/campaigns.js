// Yearly reports: upload progress, live change from last year, unsaved-changes guard,
// "select all" on the worklist. Every page works without this file (plain form posts).
(function () {
  "use strict";

  var lang = document.documentElement.lang || "vi";

  // A figure typed the Vietnamese way ("1.816", "70,5") or plainly ("70.5").
  function parseNumber(text) {
    var s = String(text || "").replace(/\s+/g, "");
    if (!s) { return null; }
    if (lang.indexOf("vi") === 0) {
      if (s.indexOf(",") >= 0) {
        s = s.replace(/\./g, "").replace(",", ".");
      } else if (/^-?\d{1,3}(\.\d{3})+$/.test(s)) {
        s = s.replace(/\./g, "");
      }
    } else {
      s = s.replace(/,/g, "");
    }
    if (!/^-?\d+(\.\d+)?$/.test(s)) { return null; }
    return parseFloat(s);
  }

  function formatChange(current, last) {
    if (current === null || last === null || last === 0) { return ""; }
    var change = (current - last) / Math.abs(last) * 100;
    var sign = change > 0 ? "+" : (change < 0 ? "\u2212" : "\u00b1");
    return sign + Math.abs(change).toLocaleString(lang, {
      minimumFractionDigits: 1, maximumFractionDigits: 1
    }) + "%";
  }

  // Change from last year, recomputed as the person types.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-value-input]")) { return; }
    var target = document.querySelector('[data-change-for="' + input.id + '"]');
    if (!target) { return; }
    var last = input.getAttribute("data-last");
    var lastValue = last === "" ? null : parseFloat(last);
    var current = parseNumber(input.value);
    target.textContent = formatChange(current, lastValue);
    var alertAt = parseFloat(target.getAttribute("data-alert"));
    var big = current !== null && lastValue && !isNaN(alertAt) &&
      Math.abs((current - lastValue) / Math.abs(lastValue) * 100) > alertAt;
    target.classList.toggle("text-danger", !!big);
    target.classList.toggle("fw-semibold", !!big);
  });

  // Ask before leaving a form with unsaved figures.
  var guarded = document.querySelector("form[data-dirty-guard]");
  if (guarded) {
    var dirty = false;
    guarded.addEventListener("input", function () { dirty = true; });
    guarded.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = guarded.getAttribute("data-dirty-guard");
      }
    });
  }

  // <input type="checkbox" data-check-all="name"> ticks every enabled checkbox of that name.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-check-all]")) { return; }
    var name = box.getAttribute("data-check-all");
    var form = box.form || document;
    form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (el) {
      if (!el.disabled) { el.checked = box.checked; }
    });
  });

  // Upload with a progress bar (XHR upload progress). Without JS the form posts as usual.
  var uploadForm = document.querySelector("form[data-upload-progress]");
  if (uploadForm && window.FormData && window.XMLHttpRequest) {
    uploadForm.addEventListener("submit", function (event) {
      var fileInput = uploadForm.querySelector('input[type="file"]');
      if (!fileInput || !fileInput.files.length) { return; } // let the server say what is missing
      event.preventDefault();
      var box = uploadForm.querySelector("[data-upload-box]");
      var bar = box.querySelector("progress");
      var text = box.querySelector("[data-progress-text]");
      var errors = document.querySelector("[data-upload-errors]");
      var button = uploadForm.querySelector('button[type="submit"]');
      errors.classList.add("d-none");
      errors.textContent = "";
      box.classList.remove("d-none");
      button.disabled = true;

      var xhr = new XMLHttpRequest();
      xhr.open("POST", uploadForm.getAttribute("action") || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var percent = Math.round(e.loaded / e.total * 100);
          bar.value = percent;
          text.textContent = percent + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (err) { data = null; }
        if (data && data.redirect) {
          window.location.assign(data.redirect);
          return;
        }
        button.disabled = false;
        box.classList.add("d-none");
        var list = document.createElement("ul");
        list.className = "mb-0";
        var messages = (data && data.errors) || [uploadForm.getAttribute("data-upload-failed") || "Error " + xhr.status];
        messages.forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          list.appendChild(item);
        });
        errors.appendChild(list);
        errors.classList.remove("d-none");
        errors.focus();
      });
      xhr.addEventListener("error", function () {
        // The network failed: fall back to a plain form post.
        button.disabled = false;
        uploadForm.submit();
      });
      xhr.send(new FormData(uploadForm));
    });
  }
})();
