// Progressive enhancement for the claim page: poll the status fragment and swap it in until the
// claim stops changing. Without JavaScript the page still works: reload it.
(function () {
    "use strict";
    var intervalMs = 700;

    function poll() {
        var card = document.getElementById("claim-status");
        if (!card || card.dataset.final === "true") {
            return;
        }
        var again = true;
        fetch(card.dataset.statusUrl, { headers: { "Accept": "text/html" }, credentials: "same-origin", cache: "no-store" })
            .then(function (response) {
                if (response.redirected) {
                    // The session ended and the fragment request was sent to the sign-in page: show that page itself.
                    again = false;
                    window.location.reload();
                    return null;
                }
                if (response.status === 404) {
                    again = false;
                    return null;
                }
                return response.ok ? response.text() : null;
            })
            .then(function (html) {
                if (html) {
                    card.outerHTML = html;
                }
            })
            .catch(function () { /* a dropped request is retried on the next tick */ })
            .finally(function () {
                if (again) {
                    setTimeout(poll, intervalMs);
                }
            });
    }

    setTimeout(poll, intervalMs);
})();
