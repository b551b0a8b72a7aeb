// nongsan: optional progressive enhancement. Every page works without this
// file; it only adds search suggestions, province → commune pickers without a
// reload, a preview of a photo taken with the camera, a search box over long
// pickers (the product categories), and a guard against double taps on
// submit buttons.
(function () {
  'use strict';
  var d = document;

  function debounce(fn, ms) {
    var t;
    return function () {
      var args = arguments;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function getJson(url, done) {
    var x = new XMLHttpRequest();
    x.open('GET', url);
    x.setRequestHeader('Accept', 'application/json');
    x.onload = function () {
      if (x.status === 200) {
        try { done(JSON.parse(x.responseText)); } catch (e) { /* ignore a bad answer */ }
      }
    };
    x.send();
  }

  // Search suggestions: <input data-suggest="/goi-y"> answers {items:[{name,url}]}.
  Array.prototype.forEach.call(d.querySelectorAll('input[data-suggest]'), function (input) {
    var list = d.createElement('ul');
    list.className = 'suggest';
    list.id = input.id + '-suggest';
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute('aria-controls', list.id);
    var last = '';
    var update = debounce(function () {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      // A lone first letter already has suggestions (docs/search.md).
      if (!q) { list.hidden = true; return; }
      getJson(input.getAttribute('data-suggest') + '?q=' + encodeURIComponent(q), function (data) {
        list.textContent = '';
        (data.items || []).forEach(function (item) {
          var li = d.createElement('li');
          var a = d.createElement('a');
          a.href = item.url;
          a.textContent = item.name;
          li.appendChild(a);
          list.appendChild(li);
        });
        list.hidden = !list.firstChild;
      });
    }, 150);
    input.addEventListener('input', update);
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') list.hidden = true;
    });
    d.addEventListener('click', function (e) {
      if (!list.contains(e.target) && e.target !== input) list.hidden = true;
    });
  });

  // Province → commune: <select data-units-target="commune-id" data-units-url="/dia-gioi">
  // refills the commune list when the province changes; the form's
  // "choose province" step button is then not needed.
  Array.prototype.forEach.call(d.querySelectorAll('select[data-units-target]'), function (province) {
    var commune = d.getElementById(province.getAttribute('data-units-target'));
    if (!commune) return;
    var step = province.form && province.form.querySelector('[data-step-button]');
    if (step) step.hidden = true;
    province.addEventListener('change', function () {
      var code = province.value;
      commune.textContent = '';
      var first = d.createElement('option');
      first.value = '';
      first.textContent = commune.getAttribute('data-placeholder') || '';
      commune.appendChild(first);
      if (!code) return;
      getJson(province.getAttribute('data-units-url') + '?parent=' + encodeURIComponent(code), function (data) {
        (data.items || []).forEach(function (unit) {
          var o = d.createElement('option');
          o.value = unit.code;
          o.textContent = unit.name;
          commune.appendChild(o);
        });
      });
    });
  });

  // A preview of the photo just taken or chosen.
  Array.prototype.forEach.call(d.querySelectorAll('input[type=file][data-preview]'), function (input) {
    var box = d.getElementById(input.getAttribute('data-preview'));
    if (!box || !window.URL) return;
    input.addEventListener('change', function () {
      box.textContent = '';
      Array.prototype.forEach.call(input.files || [], function (file) {
        var img = d.createElement('img');
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        img.width = 96;
        img.height = 96;
        box.appendChild(img);
      });
    });
  });

  // A search box over a long <select data-filter="label">: typing "che" or
  // "chè" keeps the options whose name or group matches, and picks the first.
  function fold(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  }
  Array.prototype.forEach.call(d.querySelectorAll('select[data-filter]'), function (select) {
    var input = d.createElement('input');
    input.type = 'search';
    input.id = select.id + '-filter';
    input.setAttribute('aria-label', select.getAttribute('data-filter'));
    input.setAttribute('placeholder', select.getAttribute('data-filter'));
    input.setAttribute('aria-controls', select.id);
    select.parentNode.insertBefore(input, select);
    input.addEventListener('input', debounce(function () {
      var wanted = fold(input.value.trim());
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var group = option.parentNode.label || '';
        var shown = !wanted || fold(option.text + ' ' + group).indexOf(wanted) >= 0;
        option.hidden = !shown;
        if (shown && !first) first = option;
      });
      if (first && wanted) select.value = first.value;
    }, 150));
  });

  // One tap, one submit: a second tap while the page loads does nothing (the
  // server also ignores a repeated order thanks to the form's idempotency key).
  d.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.getAttribute('data-submitted')) { e.preventDefault(); return; }
    form.setAttribute('data-submitted', '1');
    setTimeout(function () { form.removeAttribute('data-submitted'); }, 8000);
  });
})();
