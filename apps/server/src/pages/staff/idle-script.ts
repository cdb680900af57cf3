/**
 * The staff pages' idle timeout in the browser (WCAG 2.2.1: warned, and one
 * press to go on). Two minutes before the time is up a dialog says so and
 * offers to continue, which counts as activity on the server; when the time
 * is up the page replaces itself with the login, so a shared workstation
 * left alone shows nobody's data and Back does not return to it. Without
 * script the server still ends the session at the next request.
 */
export const IDLE_SCRIPT = `(function () {
  var meta = document.querySelector('meta[name="idle-timeout"]');
  var dialog = document.getElementById('idle-warning');
  if (!meta || !dialog) return;
  var total = Number(meta.getAttribute('content')) * 1000;
  var leave = meta.getAttribute('data-leave');
  var button = dialog.querySelector('button');
  var warn, out;
  function arm() {
    clearTimeout(warn);
    clearTimeout(out);
    warn = setTimeout(function () { dialog.hidden = false; button.focus(); }, Math.max(0, total - 120000));
    out = setTimeout(function () { location.replace(leave); }, total);
  }
  button.addEventListener('click', function () {
    dialog.hidden = true;
    fetch('/staff', { credentials: 'same-origin', redirect: 'manual' }).then(arm, arm);
  });
  arm();
})();
`;
