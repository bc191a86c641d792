window.qtraderErrors = [];
window.addEventListener('error', function (e) {
  var msg = (e && e.message) ? e.message : 'script error';
  window.qtraderErrors.push(msg);
  document.documentElement.setAttribute('data-script-error', window.qtraderErrors.join(' | '));
  var show = function () {
    var box = document.createElement('div');
    box.className = 'error';
    box.textContent = 'Report script error: ' + msg;
    document.body.insertBefore(box, document.body.firstChild);
  };
  if (document.body) show(); else document.addEventListener('DOMContentLoaded', show);
});
