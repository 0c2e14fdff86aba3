// Progressive enhancement for the discussion: Reply and Quote open the form
// inline under the comment instead of going to the reply page. Without
// JavaScript the links lead to that page and everything still works.
(function () {
  "use strict";

  function formFor(item) {
    var existing = item.querySelector(":scope > .inline-reply");
    if (existing) return existing;
    var template = document.getElementById("reply-template");
    if (!template) return null;
    var wrapper = document.createElement("div");
    wrapper.className = "inline-reply";
    wrapper.appendChild(template.content.cloneNode(true));
    var form = wrapper.querySelector("form");
    var parent = document.createElement("input");
    parent.type = "hidden";
    parent.name = "parent";
    parent.value = item.dataset.commentId;
    form.appendChild(parent);
    var textarea = form.querySelector("textarea");
    textarea.id = "body-" + item.dataset.commentId;
    textarea.placeholder = "Write a reply…";
    var label = form.querySelector("label[for]");
    if (label) label.htmlFor = textarea.id;
    form.querySelector("button[type=submit]").textContent = "Post reply";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "cancel";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", function () { wrapper.remove(); });
    form.appendChild(cancel);
    var article = item.querySelector(":scope > article");
    article.insertAdjacentElement("afterend", wrapper);
    return wrapper;
  }

  function open(link) {
    var item = link.closest("li.comment");
    var wrapper = formFor(item);
    if (!wrapper) return false;
    var textarea = wrapper.querySelector("textarea");
    if (link.dataset.action === "quote") {
      fetch(link.href, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r); })
        .then(function (data) {
          textarea.value = data.body + textarea.value;
          textarea.focus();
          textarea.setSelectionRange(textarea.value.length, textarea.value.length);
        })
        .catch(function () { window.location.href = link.href; });
    } else {
      textarea.focus();
    }
    return true;
  }

  // Cached pages carry no CSRF token: fetch one (which also sets the cookie)
  // before the first post, and add it to the form.
  var tokenPromise = null;
  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) return Promise.resolve(decodeURIComponent(match[1]));
    if (!tokenPromise) {
      tokenPromise = fetch("/csrf/", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) { return data.token; });
    }
    return tokenPromise;
  }

  function withToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) return Promise.resolve();
    return csrfToken().then(function (token) {
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "csrfmiddlewaretoken";
        form.prepend(input);
      }
      input.value = token;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method !== "post" || form.matches("[data-vote-form]")) return;
    if (form.querySelector("input[name=csrfmiddlewaretoken]")) return;
    event.preventDefault();
    withToken(form).then(function () { form.submit(); });
  });

  // Votes: sent in the background; the buttons show the new tallies and state.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-vote-form]");
    if (!form) return;
    var button = event.submitter;
    if (!button) return;
    event.preventDefault();
    withToken(form).then(function () { sendVote(form, button); });
  });

  function sendVote(form, button) {
    var data = new FormData(form);
    data.set("value", button.value);
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (result) {
        if (!result.ok) { window.alert(result.body.error.message); return; }
        var up = form.querySelector(".vote.up"), down = form.querySelector(".vote.down");
        up.querySelector(".count").textContent = result.body.upvotes;
        down.querySelector(".count").textContent = result.body.downvotes;
        up.classList.toggle("voted", result.body.my_vote === 1);
        down.classList.toggle("voted", result.body.my_vote === -1);
        up.setAttribute("aria-pressed", result.body.my_vote === 1);
        down.setAttribute("aria-pressed", result.body.my_vote === -1);
        up.value = result.body.my_vote === 1 ? "none" : "up";
        down.value = result.body.my_vote === -1 ? "none" : "down";
      })
      .catch(function () { form.submit(); });
  }

  // A chosen sort is remembered in the browser, so cached pages stay shareable.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("nav.sorts a[href]");
    if (!link) return;
    var sort = new URL(link.href).searchParams.get("sort");
    if (sort) document.cookie = "bs_sort=" + sort + "; path=/; max-age=31536000; samesite=lax";
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-action]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (open(link)) event.preventDefault();
  });
})();
