// A sign-in link carries its token in the URL fragment (/login#token=…), which browsers never
// send to a server. Move it into the form, drop it from the address bar and history, submit.
(function () {
  var match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("token-signin");
    form.elements.token.value = decodeURIComponent(match[1]);
    form.submit();
  });
})();
