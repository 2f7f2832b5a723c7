// Canvass: the script of residents' pages (/s/…). Every page works without it; with it:
// display rules apply as the resident answers, unanswered required questions are found before
// anything is sent (focus moves to the list of problems), a page that cannot be sent because the
// phone is offline is kept on the phone and sent when the connection returns, the area picker
// searches by name, by ZIP code and by location and draws its map on request, a quick poll in a
// city's frame tells the frame its height, and a quick poll is answered once per device even
// when the frame's cookies are blocked.
//
// The display rules and the reading of answers are a second implementation of the Rust code in
// app/src/domain/survey (logic.rs, form_fields.rs, answers.rs); app/tests/resident_script_vectors.json
// is written from the Rust evaluator and end2end/unit/resident-script.test.mjs runs this file
// against it. The page tells the script what it needs in <script type="application/json"
// id="page-script"> (domain/survey/page_script.rs). Interface text comes from the page, in the
// resident's language; none is written here.
(function () {
  'use strict';

  // ---- Display rules and answers (pure; tested against the shared vectors) ----

  var OTHER = 'other';
  var DONT_KNOW = 'dont_know';

  function isList(v) { return Array.isArray(v); }
  function listOf(value) {
    if (value === undefined || value === null) return [];
    return isList(value) ? value : [value];
  }
  function isNumber(v) { return typeof v === 'number'; }
  function isString(v) { return typeof v === 'string'; }

  // logic.rs `matches_value`: whether an answer "is" a value.
  function matchesValue(answer, value) {
    var v = answer.value;
    switch (answer.type) {
      case 'choice': return isString(value) && v.option === value;
      case 'choices': return isString(value) && v.options.indexOf(value) >= 0;
      case 'scale': return isNumber(value) && v === value;
      case 'dont_know': return isString(value) && value === DONT_KNOW;
      case 'number': return isNumber(value) && v === value;
      case 'date': case 'text': case 'area': return isString(value) && v === value;
      default: return false;
    }
  }

  // logic.rs `compare`: numbers with numbers, ISO dates with ISO dates.
  function compare(answer, value) {
    if (value === undefined || value === null) return null;
    var v = answer.value;
    if ((answer.type === 'scale' || answer.type === 'number') && isNumber(value)) {
      return v > value ? 1 : v < value ? -1 : v === value ? 0 : null;
    }
    if (answer.type === 'date' && isString(value)) return v > value ? 1 : v < value ? -1 : 0;
    return null;
  }

  function testHolds(test, answers) {
    var answer = Object.prototype.hasOwnProperty.call(answers, test.question) ? answers[test.question] : null;
    if (answer && test.statement !== undefined && test.statement !== null) {
      var cell = answer.type === 'grid' && Object.prototype.hasOwnProperty.call(answer.value, test.statement)
        ? answer.value[test.statement] : null;
      answer = cell === null ? null : { type: 'choice', value: { option: cell, other_text: null } };
    }
    var op = test.op;
    if (!answer) return op === 'not_equals' || op === 'none_of' || op === 'not_answered';
    var value = test.value;
    var has = value !== undefined && value !== null;
    switch (op) {
      case 'answered': return true;
      case 'not_answered': return false;
      case 'equals': return has && matchesValue(answer, value);
      case 'not_equals': return !(has && matchesValue(answer, value));
      case 'any_of': return listOf(value).some(function (x) { return matchesValue(answer, x); });
      case 'none_of': return !listOf(value).some(function (x) { return matchesValue(answer, x); });
      case 'greater_than': return compare(answer, value) === 1;
      case 'less_than': return compare(answer, value) === -1;
      default: return false;
    }
  }

  // logic.rs `Condition::holds`.
  function holds(condition, answers) {
    if (isList(condition.all)) return condition.all.every(function (c) { return holds(c, answers); });
    if (isList(condition.any)) return condition.any.some(function (c) { return holds(c, answers); });
    return testHolds(condition, answers);
  }

  function trim(s) { return s.replace(/^\s+|\s+$/g, ''); }
  function chars(s) { return Array.from(s).length; }
  function unique(list) { return list.filter(function (x, i) { return list.indexOf(x) === i; }); }

  // answers.rs `is_iso_date`: a real calendar date written YYYY-MM-DD.
  function isIsoDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return false;
    var year = +m[1], month = +m[2], day = +m[3];
    if (month < 1 || month > 12 || day < 1) return false;
    var leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    return day <= days;
  }

  // answers.rs `whole_number` on a posted string: Rust's `i32` parse of the trimmed text.
  function wholeNumber(text) {
    var t = trim(text);
    if (!/^[+-]?\d+$/.test(t)) return null;
    var n = parseInt(t, 10);
    return n >= -2147483648 && n <= 2147483647 ? n : null;
  }

  // Rust's `f64` parse of the trimmed text without thousands separators.
  function decimalNumber(text) {
    var t = trim(text).replace(/,/g, '');
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && !/^[+-]?(inf|infinity|nan)$/i.test(t)) return null;
    var n = Number(t.replace(/^\+/, ''));
    return isFinite(n) ? n : null;
  }

  // The checked answer to one question from the posted fields (form_fields.rs `raw_answers`
  // then answers.rs `check_answer`): {blank: true}, {invalid: true} or {answer: …}.
  function readAnswer(q, values) {
    var key = q.key;
    var BLANK = { blank: true }, INVALID = { invalid: true };
    var first = values(key)[0];
    var other = function () { var t = values(key + '.other')[0]; return t === undefined ? null : trim(t); };
    var otherText = function (offered) {
      if (!offered) return INVALID;
      var t = other();
      if (!t) return INVALID;
      return chars(t) > 200 ? INVALID : t;
    };
    switch (q.type) {
      case 'choice': {
        if (first === undefined) return BLANK;
        var text = null;
        if (first === OTHER) {
          text = otherText(q.other);
          if (text === INVALID) return INVALID;
        }
        if (first !== OTHER && q.options.indexOf(first) < 0) return INVALID;
        return { answer: { type: 'choice', value: { option: first, other_text: text } } };
      }
      case 'choices': {
        var chosen = values(key);
        if (!chosen.length) return BLANK;
        if (unique(chosen).length !== chosen.length) return INVALID;
        if (!chosen.every(function (k) { return q.options.indexOf(k) >= 0 || (k === OTHER && q.other); })) return INVALID;
        var said = null;
        if (chosen.indexOf(OTHER) >= 0) {
          said = otherText(true);
          if (said === INVALID) return INVALID;
        }
        if (q.min !== null && chosen.length < q.min) return INVALID;
        if (q.max !== null && chosen.length > q.max) return INVALID;
        return { answer: { type: 'choices', value: { options: chosen, other_text: said } } };
      }
      case 'rating': case 'nps': {
        if (first === undefined) return BLANK;
        if (q.type === 'rating' && q.dont_know && first === DONT_KNOW) return { answer: { type: 'dont_know' } };
        var n = wholeNumber(first);
        var low = q.type === 'nps' ? 0 : q.min, high = q.type === 'nps' ? 10 : q.max;
        return n !== null && n >= low && n <= high ? { answer: { type: 'scale', value: n } } : INVALID;
      }
      case 'grid': {
        var cells = {}, any = false, count = 0;
        for (var i = 0; i < q.statements.length; i++) {
          var point = values(key + '.' + q.statements[i])[0];
          if (point === undefined) continue;
          any = true;
          if (!(q.scale.indexOf(point) >= 0 || (point === DONT_KNOW && q.dont_know))) return INVALID;
          cells[q.statements[i]] = point;
          count++;
        }
        if (!any) return BLANK;
        if (q.required && count < q.statements.length) return INVALID;
        return { answer: { type: 'grid', value: cells } };
      }
      case 'number': {
        if (first === undefined) return BLANK;
        var x = decimalNumber(first);
        if (x === null) return INVALID;
        if (q.integer && x % 1 !== 0) return INVALID;
        return x >= q.min && x <= q.max ? { answer: { type: 'number', value: x } } : INVALID;
      }
      case 'date': {
        if (first === undefined) return BLANK;
        var d = trim(first);
        if (!isIsoDate(d)) return INVALID;
        if ((q.min && d < q.min) || (q.max && d > q.max)) return INVALID;
        return { answer: { type: 'date', value: d } };
      }
      case 'text': {
        if (first === undefined) return BLANK;
        var said2 = trim(first);
        return chars(said2) > q.max_length ? INVALID : { answer: { type: 'text', value: said2 } };
      }
      case 'ranking': {
        var ranked = [];
        q.options.forEach(function (option) {
          var rank = values(key + '.' + option)[0];
          if (rank !== undefined) ranked.push([rank, option]);
        });
        if (!ranked.length) return BLANK;
        if (ranked.length < q.options.length) return INVALID;
        var rankOf = function (r) { return /^\+?\d+$/.test(r) && +r <= 4294967295 ? +r : 4294967295; };
        ranked.sort(function (a, b) { return rankOf(a[0]) - rankOf(b[0]); });
        var order = ranked.map(function (r) { return r[1]; }).filter(function (k, i, all) { return i === 0 || all[i - 1] !== k; });
        return order.length === q.options.length ? { answer: { type: 'ranking', value: order } } : INVALID;
      }
      case 'area': {
        if (first === undefined) return BLANK;
        var area = trim(first);
        return new TextEncoder().encode(area).length <= 64 ? { answer: { type: 'area', value: area } } : INVALID;
      }
      case 'demographics': {
        var picked = {}, some = false;
        for (var j = 0; j < q.items.length; j++) {
          var item = q.items[j];
          var keys = values(key + '.' + item.key);
          if (!keys.length) continue;
          some = true;
          // One answer per single-choice item: the first posted, as the server reads it.
          if (!item.multiple) keys = keys.slice(0, 1);
          if (!keys.every(function (k) { return item.options.indexOf(k) >= 0; })) return INVALID;
          picked[item.key] = keys;
        }
        return some ? { answer: { type: 'demographics', value: picked } } : BLANK;
      }
      default:
        return first === undefined ? BLANK : INVALID;
    }
  }

  // flow.rs `walk` over one page: which questions are shown, and which of those are required
  // and unanswered. `pairs` are the form's [name, value] pairs.
  function pageOutcome(script, pairs) {
    var values = function (name) {
      return pairs.filter(function (p) { return p[0] === name && trim(p[1]) !== ''; }).map(function (p) { return p[1]; });
    };
    var answers = {};
    Object.keys(script.known).forEach(function (k) { answers[k] = script.known[k]; });
    var shown = [], unanswered = [];
    script.questions.forEach(function (q) {
      if (q.show_if && !holds(q.show_if, answers)) return;
      shown.push(q.key);
      var read = readAnswer(q, values);
      if (read.answer) answers[q.key] = read.answer;
      else if (read.blank && q.required) unanswered.push(q.key);
    });
    return { shown: shown, unanswered: unanswered };
  }

  if (typeof document === 'undefined') {
    module.exports = { holds: holds, pageOutcome: pageOutcome };
    return;
  }

  // ---- The page ----

  var $ = function (selector, root) { return (root || document).querySelector(selector); };
  var $$ = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };
  var store = (function () {
    try { var s = window.localStorage; s.setItem('canvass:probe', '1'); s.removeItem('canvass:probe'); return s; } catch (e) { return null; }
  })();
  var readJson = function (id) { var el = document.getElementById(id); try { return el ? JSON.parse(el.textContent) : null; } catch (e) { return null; } };
  var texts = readJson('page-texts') || {};

  var form = document.getElementById('resident-form');
  var script = readJson('page-script');

  function formPairs() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) { if (typeof value === 'string') pairs.push([name, value]); });
    return pairs;
  }

  function applyRules() {
    var outcome = pageOutcome(script, formPairs());
    script.questions.forEach(function (q) {
      var el = document.getElementById('question-' + q.key);
      if (el) el.hidden = outcome.shown.indexOf(q.key) < 0;
    });
    return outcome;
  }

  function showProblems(keys) {
    var summary = document.getElementById('problems');
    var list = $('ul', summary);
    list.textContent = '';
    $$('.survey-question', form).forEach(function (el) {
      el.classList.remove('has-problem');
      var old = $('.field-error[data-script]', el);
      if (old) old.remove();
    });
    keys.forEach(function (key) {
      var q = script.questions.filter(function (x) { return x.key === key; })[0];
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '#question-' + key;
      a.textContent = q.label + ' — ' + script.required_message;
      li.appendChild(a);
      list.appendChild(li);
      var el = document.getElementById('question-' + key);
      if (el) {
        el.classList.add('has-problem');
        var p = document.createElement('p');
        p.className = 'field-error';
        p.setAttribute('data-script', '');
        p.textContent = script.required_message;
        el.insertBefore(p, el.firstChild);
      }
    });
    summary.hidden = false;
    summary.focus();
    summary.scrollIntoView();
  }

  // ---- Sending a page, and keeping it on the phone when the signal drops ----

  var pendingKey = form ? 'canvass:pending:' + form.getAttribute('action') : null;
  var pending = null; // the page waiting for a connection, as a form body
  var sending = false;
  var retryTimer = null;

  function say(message) {
    var box = document.getElementById('send-status');
    if (box) box.textContent = message;
  }

  // Posts a page as the form would, and follows the server to the next page. Without a
  // connection the page is kept (on this phone too, in case the tab is closed) and sent when the
  // connection returns, with the same submission id: the server keeps one response per id.
  function send(body, fallback) {
    sending = true;
    return fetch(form.getAttribute('action'), {
      method: 'POST', body: new URLSearchParams(body), credentials: 'same-origin',
      // The server then answers {"location": …} instead of a redirect the fetch would follow.
      headers: { 'X-Canvass-Script': '1' },
    }).then(function (response) {
        sending = false;
        pending = null;
        if (store) store.removeItem(pendingKey);
        var json = (response.headers.get('Content-Type') || '').indexOf('application/json') === 0;
        if (response.ok && json) {
          return response.json().then(function (next) { window.location.assign(next.location); });
        }
        // Anything else (a refusal, an error page): post the form as it is, or show the answer.
        if (fallback) fallback();
        else window.location.assign(response.url);
      }, function () {
        sending = false;
        pending = body;
        if (store) store.setItem(pendingKey, body);
        say(texts.saved_on_device || '');
        clearTimeout(retryTimer);
        retryTimer = setTimeout(resend, 5000);
      });
  }

  function resend() {
    if (pending && !sending) send(pending, null);
  }

  function enhanceForm() {
    form.addEventListener('input', applyRules);
    form.addEventListener('change', applyRules);
    applyRules();
    form.addEventListener('submit', function (event) {
      var submitter = event.submitter;
      var name = submitter ? submitter.getAttribute('name') : null;
      // Only Next (and Submit) checks the page; Back, a language, "Show the map" and "Continue
      // later" save it as it is.
      var checking = !name || (name === '_nav' && submitter.value === 'next');
      if (checking) {
        var outcome = applyRules();
        if (outcome.unanswered.length) {
          event.preventDefault();
          showProblems(outcome.unanswered);
          return;
        }
      }
      if (typeof fetch !== 'function' || typeof URLSearchParams !== 'function') return;
      event.preventDefault();
      var data = new FormData(form);
      if (name) data.append(name, submitter.value);
      var body = new URLSearchParams(data).toString();
      $$('button', form).forEach(function (b) { b.disabled = true; });
      send(body, function () {
        // An answer the script cannot read (a server error page): post the form as it is.
        if (name) {
          var hidden = document.createElement('input');
          hidden.type = 'hidden'; hidden.name = name; hidden.value = submitter.value;
          form.appendChild(hidden);
        }
        form.submit();
      });
    });
    window.addEventListener('online', resend);
    // A page kept on this phone earlier (the tab was closed while offline): send it now.
    var kept = store && store.getItem(pendingKey);
    if (kept && new URLSearchParams(kept).get('_submission') === (form.elements._submission || {}).value) {
      say(texts.saved_on_device || '');
      send(kept, null);
    }
  }

  // ---- One answer per device for quick polls, even when the frame's cookies are blocked ----

  function rememberSubmission() {
    var poll = form && form.getAttribute('data-poll');
    var field = form && form.elements._submission;
    if (!poll || !field) return;
    var action = form.getAttribute('action');
    // The same submission id again makes the server answer with the first receipt.
    if (store) {
      var key = 'canvass:submission:' + action;
      var earlier = store.getItem(key);
      if (earlier) field.value = earlier; else store.setItem(key, field.value);
    }
    // In a city's frame this page's storage is usually blocked; the city's page keeps the id
    // (public/embed.js) and hands it over.
    if (window.parent !== window) {
      window.addEventListener('message', function (event) {
        var data = event.data;
        if (event.source !== window.parent || !data || data.canvass !== 'submission') return;
        if (typeof data.submission === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(data.submission)) field.value = data.submission;
      });
      window.parent.postMessage({ canvass: 'poll', poll: action }, '*');
    }
  }

  // ---- The area picker ----

  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }

  function post(endpoint, fields) {
    return fetch('/api/' + endpoint, {
      method: 'POST', credentials: 'same-origin', body: new URLSearchParams(fields),
      headers: { Accept: 'application/json' },
    }).then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
  }

  function enhancePicker(picker) {
    var t = JSON.parse(picker.getAttribute('data-texts') || '{}');
    var select = $('select', picker);
    var status = $('.area-status', picker);
    var set = picker.getAttribute('data-set');
    var language = picker.getAttribute('data-language');
    var mapId = select.id + '-map';
    var announce = function (message) { status.textContent = message; };
    var nameOf = function (key) {
      var option = $$('option', select).filter(function (o) { return o.value === key; })[0];
      return option ? option.textContent : null;
    };
    var highlight = function () {
      $$('#' + mapId + ' a[data-area]').forEach(function (a) {
        if (a.getAttribute('data-area') === select.value) a.setAttribute('aria-current', 'true');
        else a.removeAttribute('aria-current');
      });
    };
    var choose = function (key) {
      select.value = key;
      var name = nameOf(key);
      if (name) announce(t.your_area + ' ' + name);
      highlight();
      select.dispatchEvent(new Event('change', { bubbles: true }));
    };
    select.addEventListener('change', function () {
      var name = nameOf(select.value);
      if (name) announce(t.your_area + ' ' + name);
      highlight();
    });
    $$('[data-enhance]', picker).forEach(function (el) { el.hidden = false; });

    // A list of buttons under `container`, one per area found.
    var listIn = function (container) {
      var list = $('ul.area-matches', container);
      if (!list) {
        list = document.createElement('ul');
        list.className = 'area-matches';
        container.appendChild(list);
      }
      return list;
    };
    var buttons = function (list, found, label) {
      list.textContent = '';
      found.forEach(function (area) {
        var li = document.createElement('li');
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'button secondary';
        b.textContent = label(area);
        b.addEventListener('click', function () { list.textContent = ''; list.hidden = true; choose(area.key); });
        li.appendChild(b);
        list.appendChild(li);
      });
      list.hidden = !found.length;
    };

    // Search by name (and by the other names the city gave an area): accent- and
    // case-insensitive, each word typed the start of a word of the name.
    var search = $('.area-search input', picker);
    var matches = search && listIn(search.parentNode);
    if (matches) matches.setAttribute('data-testid', 'area-matches');
    var none = document.createElement('p');
    none.className = 'hint';
    none.setAttribute('role', 'status');
    none.textContent = t.no_matches || '';
    none.hidden = true;
    if (search) search.parentNode.appendChild(none);
    var find = function () {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      if (!words.length) { buttons(matches, [], null); none.hidden = true; return []; }
      // Each name of an area on its own: "plaza mid" must find "Plaza Midwood", not any area
      // with "plaza" in one name and "mid" in another.
      var matchesName = function (name) {
        var parts = fold(name).split(/[\s,/()-]+/);
        return words.every(function (w) { return parts.some(function (p) { return p.indexOf(w) === 0; }); });
      };
      var found = [];
      $$('option', select).forEach(function (o) {
        if (!o.value || found.length >= 8) return;
        if (matchesName(o.textContent)) { found.push({ key: o.value, name: o.textContent }); return; }
        var alias = (o.getAttribute('data-aliases') || '').split(';').filter(function (a) { return a.trim() && matchesName(a); })[0];
        if (alias) found.push({ key: o.value, name: o.textContent + ' — ' + alias.trim() });
      });
      buttons(matches, found, function (a) { return a.name; });
      none.hidden = found.length > 0;
      return found;
    };
    if (search) {
      search.addEventListener('input', find);
      search.addEventListener('keydown', function (e) {
        if (e.key !== 'Enter') return;
        e.preventDefault();
        var found = find();
        if (found.length) { choose(found[0].key); search.value = ''; find(); }
      });
    }

    // By ZIP code.
    var zip = $('.area-zip input', picker);
    var zipChoices = zip && listIn(zip.closest('.area-zip'));
    if (zipChoices) zipChoices.setAttribute('data-testid', 'zip-choices');
    var byZip = function () {
      buttons(zipChoices, [], null);
      post('areas/zip', { set: set, zip: zip.value, language: language }).then(function (found) {
        if (!found.length) announce(t.zip_unknown);
        else if (found.length === 1) choose(found[0].key);
        else {
          announce(t.zip_several);
          buttons(zipChoices, found, function (a) { return a.name + ' (' + Math.round(a.share_of_zip * 100) + '%)'; });
        }
      }, function () { announce(t.zip_unknown); });
    };
    if (zip) {
      $('.area-zip button', picker).addEventListener('click', byZip);
      zip.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); byZip(); } });
    }

    // By street address (the city's address points): the address is sent only to look it up.
    var street = $('.area-address input', picker);
    var streetChoices = street && listIn(street.closest('.area-address'));
    if (streetChoices) streetChoices.setAttribute('data-testid', 'address-choices');
    var byAddress = function () {
      buttons(streetChoices, [], null);
      post('areas/address', { set: set, address: street.value, language: language }).then(function (found) {
        if (!found.length) announce(t.address_unknown);
        else if (found.length === 1) choose(found[0].key);
        else {
          announce(t.address_several);
          buttons(streetChoices, found, function (a) { return a.address + ' — ' + a.name; });
        }
      }, function () { announce(t.address_unknown); });
    };
    if (street) {
      $('.area-address button', picker).addEventListener('click', byAddress);
      street.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); byAddress(); } });
    }

    // By location.
    var locate = $('[data-testid="use-my-location"]', picker);
    if (locate) {
      locate.addEventListener('click', function () {
        if (!navigator.geolocation) { announce(t.unavailable); return; }
        announce(t.locating);
        navigator.geolocation.getCurrentPosition(function (position) {
          post('areas/locate', { set: set, longitude: position.coords.longitude, latitude: position.coords.latitude })
            .then(function (area) { if (area) choose(area.key); else announce(t.outside); }, function () { announce(t.unavailable); });
        }, function () { announce(t.unavailable); });
      });
    }

    // The map: drawn on request (it is most of a page's weight); a tap chooses the area. Where
    // the city's districts or towns are outlined, a tap on the whole map zooms into one first.
    var zoomOut = function (svg) {
      svg.setAttribute('viewBox', svg.getAttribute('data-whole'));
      svg.classList.remove('zoomed');
      var bar = document.getElementById(mapId + '-zoom');
      if (bar) bar.remove();
      var hint = $('.map-hint', picker);
      if (hint) hint.hidden = false;
    };
    var zoomInto = function (svg, outline) {
      var b = outline.getAttribute('data-zoom').split(' ').map(Number);
      var margin = Math.max(b[2], b[3]) * 0.05;
      svg.setAttribute('viewBox', [b[0] - margin, b[1] - margin, b[2] + 2 * margin, b[3] + 2 * margin].map(function (n) { return n.toFixed(1); }).join(' '));
      svg.classList.add('zoomed');
      var bar = document.getElementById(mapId + '-zoom') || document.createElement('p');
      bar.id = mapId + '-zoom';
      bar.className = 'map-zoom';
      bar.textContent = '';
      var name = document.createElement('strong');
      name.textContent = outline.getAttribute('aria-label');
      var whole = document.createElement('button');
      whole.type = 'button';
      whole.className = 'link-button';
      whole.textContent = t.whole_map;
      whole.addEventListener('click', function () { zoomOut(svg); });
      bar.append(name, ' ', whole);
      svg.parentNode.insertBefore(bar, svg);
      var hint = $('.map-hint', picker);
      if (hint) hint.hidden = true;
      if (outline.blur) outline.blur();
    };
    var onMapClick = function (event) {
      var svg = event.currentTarget;
      var outline = event.target.closest && event.target.closest('a[data-zoom]');
      if (outline && !svg.classList.contains('zoomed')) {
        event.preventDefault();
        zoomInto(svg, outline);
        return;
      }
      var link = event.target.closest && event.target.closest('a[data-area]');
      if (!link) return;
      event.preventDefault();
      choose(link.getAttribute('data-area'));
    };
    var showMap = $('[data-testid="show-map"]', picker);
    if (showMap) {
      showMap.addEventListener('click', function (event) {
        event.preventDefault();
        var label = showMap.textContent;
        showMap.textContent = t.loading_map;
        fetch(showMap.getAttribute('data-href') || showMap.href, { credentials: 'same-origin' }).then(function (r) { return r.text(); }).then(function (html) {
          var page = new DOMParser().parseFromString(html, 'text/html');
          var drawn = page.getElementById(mapId);
          if (!drawn) throw new Error('no map');
          var svg = document.importNode(drawn, true);
          var hint = drawn.previousElementSibling && drawn.previousElementSibling.classList.contains('map-hint') ? document.importNode(drawn.previousElementSibling, true) : null;
          showMap.parentNode.replaceWith(svg);
          if (hint) svg.parentNode.insertBefore(hint, svg);
          svg.addEventListener('click', onMapClick);
          highlight();
        }).catch(function () { showMap.textContent = label; });
      });
    }
    var drawnMap = document.getElementById(mapId);
    if (drawnMap) drawnMap.addEventListener('click', onMapClick);
  }

  // ---- "Continue later": copy the link ----

  function enhanceCopy(button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    var status = $('.copy-status', button.closest('section') || document);
    if (!field) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var done = function () { if (status) status.textContent = button.getAttribute('data-copied') || ''; };
      field.select();
      var fallback = function () { try { document.execCommand('copy'); } catch (e) { /* selected: the resident copies */ } done(); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(field.value).then(done, fallback);
      else fallback();
    });
  }

  // ---- A quick poll in a city's frame tells the frame how tall it is ----

  function reportHeight() {
    if (window.parent === window || !$('main.embedded')) return;
    var last = 0;
    var main = $('main.embedded');
    var tell = function () {
      // The content's height, not the frame's: the page's body does not stretch in a frame.
      var height = Math.ceil(main.getBoundingClientRect().bottom + window.scrollY);
      if (height === last) return;
      last = height;
      window.parent.postMessage({ canvass: 'height', height: height, href: location.pathname }, '*');
    };
    tell();
    if (typeof ResizeObserver === 'function') new ResizeObserver(tell).observe(main);
    window.addEventListener('load', tell);
  }

  function start() {
    if (form && script) {
      rememberSubmission();
      enhanceForm();
    }
    $$('.area-picker').forEach(enhancePicker);
    $$('[data-copy]').forEach(enhanceCopy);
    reportHeight();
    document.documentElement.setAttribute('data-enhanced', 'true');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
