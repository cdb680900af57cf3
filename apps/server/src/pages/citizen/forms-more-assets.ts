/** Styles of the language buttons on form pages, repeatable groups, drafts and the feedback form. */
export const FORMS_MORE_CSS = `
.lang-switch .lang-button{display:inline-flex;align-items:center;justify-content:center;min-width:44px;min-height:44px;padding:0 var(--spacing-2-xs);font:inherit;font-weight:600;color:var(--color-white);background:none;border:0;text-decoration:underline;cursor:pointer}
.lang-switch .lang-button[aria-current="true"]{text-decoration:none;border-bottom:3px solid var(--color-white)}
.lang-switch abbr{text-decoration:none}
fieldset.group{border:0;padding:0;margin:0 0 var(--spacing-m);min-width:0}
fieldset.group-item{border:2px solid var(--color-black-20);padding:var(--spacing-s);margin:0 0 var(--spacing-s);min-width:0}
fieldset.group-item legend{font-weight:700;padding:0 var(--spacing-3-xs)}
.group-list{margin:0;padding-left:var(--spacing-m)}
.print-button[hidden]{display:none}
.resume-link{overflow-wrap:anywhere;font-weight:600}
@media print{.lang-switch,.print-button{display:none}}
`;

/**
 * The citizen pages' small enhancing script; every page works without it.
 * - Quick exit: on a sensitive form, pressing Shift three times within two
 *   seconds (GOV.UK's "Exit this page" pattern) leaves like the "leave this
 *   page" link does. Either way the page blanks itself at once and the
 *   neutral site replaces the current history entry (location.replace), so
 *   Back does not return to the form.
 * - Print: the confirmation's print button is shown only where script runs
 *   (printing needs it); without script the page says Ctrl+P / Cmd+P.
 */
export const CITIZEN_SCRIPT = `(function () {
  var exit = document.getElementById('quick-exit');
  if (exit) {
    var leave = function () {
      document.documentElement.className += ' leaving';
      document.body.innerHTML = '';
      document.title = '';
      location.replace(exit.href);
    };
    exit.addEventListener('click', function (event) { event.preventDefault(); leave(); });
    var presses = [];
    document.addEventListener('keyup', function (event) {
      if (event.key !== 'Shift') { presses = []; return; }
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 2000; });
      presses.push(now);
      if (presses.length >= 3) leave();
    });
  }
  var print = document.querySelector('[data-print]');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', function () { window.print(); });
  }
})();
`;
