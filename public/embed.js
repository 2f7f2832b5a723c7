// Canvass: for a city web page that embeds a quick poll (the snippet on the survey's page in
// Canvass adds this script after the <iframe>). The poll tells its frame how tall its content
// is; this script sets the frame's height to match, so that Submit and the results are never
// cut off on a phone, and keeps the poll's submission id so that a phone votes once. Only
// messages from the Canvass server this script came from are heeded.
(function () {
  'use strict';
  if (window.canvassEmbed) return;
  window.canvassEmbed = true;
  var script = document.currentScript;
  var origin = script ? new URL(script.src, location.href).origin : null;
  // One answer per device: browsers block a frame's cookies and storage on another site, so the
  // poll's submission id is kept here, on the city's page, and handed to the poll; the server
  // answers a second vote with the same id with the first receipt.
  function submissionFor(poll) {
    try {
      var key = 'canvass:submission:' + origin + poll;
      var id = window.localStorage.getItem(key);
      if (!id) {
        var bytes = new Uint8Array(16);
        window.crypto.getRandomValues(bytes);
        id = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
        window.localStorage.setItem(key, id);
      }
      return id;
    } catch (e) {
      return null;
    }
  }
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.origin !== origin || !data) return;
    if (data.canvass === 'poll' && typeof data.poll === 'string' && event.source) {
      var id = submissionFor(data.poll);
      if (id) event.source.postMessage({ canvass: 'submission', submission: id }, origin);
      return;
    }
    if (data.canvass !== 'height' || typeof data.height !== 'number') return;
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.min(Math.max(Math.ceil(data.height), 80), 5000) + 'px';
      }
    }
  });
})();
