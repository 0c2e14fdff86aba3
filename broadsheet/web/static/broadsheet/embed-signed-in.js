// The sign-in popup's last page: hands the embedded discussion that opened it its
// token, by postMessage to our own origin only (the frame is ours too), and closes.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("embed-handover").textContent);
  if (!window.opener) return;
  window.opener.postMessage(data, window.location.origin);
  window.setTimeout(function () { window.close(); }, 50);
})();
