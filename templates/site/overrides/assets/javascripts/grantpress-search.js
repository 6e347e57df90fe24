/*
 * grantpress: let the search stem what the visitor types.
 *
 * Material's search worker appends a wildcard to every word of the query
 * («беженцы» → «беженцы*») so that a word being typed finds its completions;
 * lunr runs no pipeline, hence no stemmer, on a word with a wildcard, so an
 * inflected form absent from the pages («беженцы», «нәтижелерінің») finds
 * nothing although its stem is indexed. Each plain word is therefore sent
 * twice: once with the neutral boost «^1», which Material leaves without a
 * wildcard and lunr stems (Russian, then Kazakh: see lunr/min/lunr.kk.min.js),
 * and once as typed, which Material completes. A page matching either is found.
 * Only the query message (type 2) of Material's worker protocol is changed.
 */
(function () {
  "use strict";
  var QUERY = 2;
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      var words = message.data.trim().split(/\s+/).filter(Boolean);
      if (words.length && words.every(function (w) { return /^[^\s"*+\-:^~]+$/.test(w); })) {
        arguments[0] = {type: QUERY, data: words.map(function (w) { return w + "^1 " + w; }).join(" ")};
      }
    }
    return post.apply(this, arguments);
  };
})();
