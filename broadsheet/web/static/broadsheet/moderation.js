// The moderator queue from the keyboard. Every shortcut drives one of the item's plain
// forms (which work without this script): j/k move, a approve, r reject (asks a reason),
// s spam, e edit, f feature, b ban (asks to confirm), x select, A approve the selection,
// ? help. Decisions are sent in the background (JSON); the item shows its new state and
// the next one becomes current.
(function () {
  "use strict";
  var queue = document.getElementById("mod-queue");
  if (!queue) return;
  var help = document.getElementById("shortcut-help");
  var bulkForm = document.getElementById("bulk-form");

  function items() { return Array.prototype.slice.call(queue.querySelectorAll(".queue-item")); }
  function current() { return queue.querySelector(".queue-item.current"); }

  function setCurrent(item) {
    var old = current();
    if (old) old.classList.remove("current");
    if (!item) return;
    item.classList.add("current");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = items();
    if (!list.length) return;
    var index = list.indexOf(current());
    var next = index < 0 ? 0 : Math.min(Math.max(index + step, 0), list.length - 1);
    setCurrent(list[next]);
  }

  function nextUndecided(item) {
    var list = items();
    for (var i = list.indexOf(item) + 1; i < list.length; i++) {
      if (!list[i].classList.contains("decided")) return list[i];
    }
    return item;
  }

  function updateSelected() {
    var n = queue.querySelectorAll("input[data-select]:checked").length;
    var out = bulkForm && bulkForm.querySelector("[data-selected]");
    if (out) out.textContent = String(n);
  }

  function send(form, item) {
    var data = new FormData(form);
    item.classList.add("busy");
    return fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (result) {
        item.classList.remove("busy");
        if (!result.ok) {
          window.alert(result.body.error ? result.body.error.message : "That did not work.");
          return;
        }
        item.classList.add("decided");
        if (result.body.status) {
          item.dataset.status = result.body.status;
          var badge = item.querySelector("[data-status]");
          if (badge) badge.textContent = result.body.message || result.body.status;
        }
        setCurrent(nextUndecided(item));
      })
      .catch(function () { item.classList.remove("busy"); form.submit(); });
  }

  function act(name) {
    var item = current();
    if (!item) return;
    var form = item.querySelector("form[data-action='" + name + "']");
    if (!form) return;
    if (name === "reject") {
      var reason = window.prompt("Reason for rejecting (the commenter sees it):");
      if (reason === null || !reason.trim()) return;
      form.querySelector("input[name=reason]").value = reason.trim();
    }
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    send(form, item);
  }

  function toggleHelp(show) {
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
    if (!help.hidden) help.querySelector("button").focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) {
      if (event.key === "Escape") target.blur();
      return;
    }
    if (event.key === "Escape") { toggleHelp(false); return; }
    if (help && !help.hidden && event.key !== "?") return;
    var handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": act("approve"); break;
      case "r": act("reject"); break;
      case "s": act("spam"); break;
      case "f": act("feature"); break;
      case "b": act("ban"); break;
      case "e": {
        var item = current();
        var link = item && item.querySelector("a[data-action=edit]");
        if (link) window.location.href = link.href;
        break;
      }
      case "x": {
        var box = current() && current().querySelector("input[data-select]");
        if (box) { box.checked = !box.checked; updateSelected(); }
        break;
      }
      case "A": {
        var selected = queue.querySelectorAll("input[data-select]:checked").length;
        if (selected && bulkForm) bulkForm.querySelector("button[data-bulk=approve]").click();
        break;
      }
      case "?": toggleHelp(); break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });

  queue.addEventListener("change", function (event) {
    if (event.target.matches("input[data-select]")) updateSelected();
  });
  queue.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-help]")) { toggleHelp(false); return; }
    var item = event.target.closest(".queue-item");
    if (item && !item.classList.contains("current")) setCurrent(item);
  });
  // Asked before a plain submit too (no shortcut): bans are not undone by accident.
  queue.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  var first = items()[0];
  if (first) setCurrent(first);
  updateSelected();
})();
