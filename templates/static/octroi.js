// octroi's back office: progressive enhancement only. Every page works without this script; it
// adds the live totals of a financing plan while its amounts are being typed. The server parses,
// computes and checks everything again: nothing here decides a figure.
(function () {
  'use strict';

  // "10 580,00", "10580.00", "10 580" -> cents; NaN when it is not an amount.
  function cents(text) {
    var s = String(text).replace(/[\s\u00a0\u202f]/g, '').replace(/€$/, '');
    if (s === '') return 0;  // a blank line of the portal's form counts for nothing
    var m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
    if (!m) return NaN;
    var dec = m[2] ? (m[2].length === 1 ? m[2] + '0' : m[2]) : '00';
    return parseInt(m[1], 10) * 100 + parseInt(dec, 10);
  }

  // 1058000 -> "10 580,00 €" (narrow no-break spaces between thousands, as the server prints).
  function euros(c) {
    var neg = c < 0;
    c = Math.abs(c);
    var whole = String(Math.floor(c / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
    var dec = String(c % 100);
    return (neg ? '-' : '') + whole + ',' + (dec.length < 2 ? '0' + dec : dec) + '\u00a0€';
  }

  function sum(inputs) {
    var total = 0;
    for (var i = 0; i < inputs.length; i++) {
      var c = cents(inputs[i].value);
      if (isNaN(c)) return NaN;
      total += c;
    }
    return total;
  }

  function live(form) {
    var out = form.querySelector('[data-plan-live]');
    if (!out) return;
    var expenses = form.querySelectorAll('input[data-side="expense"]');
    // An expense is eligible by its data-eligible flag, or by its checkbox (the portal's form).
    function eligibleInputs() {
      var out = [];
      for (var i = 0; i < expenses.length; i++) {
        var box = expenses[i].getAttribute('data-eligible-box');
        var el = box ? document.getElementById(box) : null;
        if (el ? el.checked : expenses[i].getAttribute('data-eligible') === '1') out.push(expenses[i]);
      }
      return out;
    }
    var resources = form.querySelectorAll('input[data-side="resource"]');
    function update() {
      var e = sum(expenses), r = sum(resources), b = sum(eligibleInputs());
      if (isNaN(e) || isNaN(r)) {
        out.textContent = 'Un montant saisi n\u2019est pas lisible : corrigez-le pour voir les totaux.';
        return;
      }
      var gap = e - r;
      var balance = gap === 0 ? ' (plan équilibré)'
        : gap > 0 ? ' (dépenses supérieures de ' + euros(gap) + ' aux recettes)'
          : ' (recettes supérieures de ' + euros(-gap) + ' aux dépenses)';
      out.textContent = 'Avec les montants saisis : dépenses ' + euros(e) + ', recettes ' +
        euros(r) + balance + ', base subventionnable ' + euros(b) + '.';
    }
    form.addEventListener('input', update);
    out.hidden = false;
    update();
  }

  var forms = document.querySelectorAll('form[data-plan]');
  for (var i = 0; i < forms.length; i++) live(forms[i]);
})();
