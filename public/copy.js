// Copy buttons for code blocks (progressive enhancement): a button is inserted after every element marked
// data-copy; without JavaScript the blocks are plain selectable text. No inline script (strict CSP).
(() => {
  'use strict';
  var ko = (document.documentElement.lang || 'ko').indexOf('ko') === 0;
  var label = ko ? '복사' : 'Copy';
  var done = ko ? '복사했습니다' : 'Copied';
  var failed = ko ? '복사하지 못했습니다. 직접 선택해 복사하세요.' : 'Could not copy: select the text instead.';
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise((resolve, reject) => {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) resolve();
      else reject(new Error('copy refused'));
    });
  }
  var blocks = document.querySelectorAll('[data-copy]');
  for (let i = 0; i < blocks.length; i++) {
    ((block, n) => {
      var wrap = document.createElement('div');
      wrap.className = 'copy-bar';
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'button button-secondary copy-button';
      button.textContent = label;
      var name = block.getAttribute('aria-label');
      if (name) button.setAttribute('aria-label', `${label}: ${name}`);
      var status = document.createElement('span');
      status.className = 'copy-status';
      status.setAttribute('role', 'status');
      status.id = `copy-status-${n}`;
      button.addEventListener('click', () => {
        copyText(block.textContent || '').then(
          () => {
            status.textContent = done;
          },
          () => {
            status.textContent = failed;
          },
        );
      });
      wrap.appendChild(button);
      wrap.appendChild(status);
      block.parentNode.insertBefore(wrap, block.nextSibling);
    })(blocks[i], i);
  }
})();
