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
        fetch(card.dataset.statusUrl, { headers: { "Accept": "text/html" }, credentials: "same-origin", cache: "no-store" })
            .then(function (response) { return response.ok ? response.text() : null; })
            .then(function (html) {
                if (html) {
                    card.outerHTML = html;
                }
            })
            .catch(function () { /* a dropped request is retried on the next tick */ })
            .finally(function () { setTimeout(poll, intervalMs); });
    }

    setTimeout(poll, intervalMs);
})();
