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

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-action]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (open(link)) event.preventDefault();
  });
})();
