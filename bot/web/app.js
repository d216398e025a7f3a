// The local page: posts the paste (or a dropped file's bytes) to /api/diagnose and renders
// the returned Adaptive Card with the official renderer, served by this server (no CDN).
'use strict';

(function () {
  const AC = window.AdaptiveCards;
  const $ = (id) => document.getElementById(id);
  const form = $('form');
  const paste = $('paste');
  const fileInput = $('file');
  const drop = $('drop');
  const submitButton = $('submit');
  const status = $('status');
  const cardHost = $('card');
  const jsonBox = $('json-box');
  const notice = $('notice');

  const fonts = (family) => ({
    fontFamily: family,
    fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
    fontWeights: { lighter: 300, default: 400, bolder: 600 },
  });
  const colors = {
    default: { default: '#242424', subtle: '#616161' },
    dark: { default: '#242424', subtle: '#616161' },
    light: { default: '#ffffff', subtle: '#f0f0f0' },
    accent: { default: '#5b5fc7', subtle: '#4f52b2' },
    good: { default: '#237b4b', subtle: '#1a5c38' },
    warning: { default: '#835c00', subtle: '#6b4b00' },
    attention: { default: '#c4314b', subtle: '#a52a40' },
  };
  // Cards carry no Markdown for the renderer: user text is in literal TextRuns.
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.didProcess = false;
  };
  const hostConfig = new AC.HostConfig({
    fontTypes: {
      default: fonts('"Segoe UI", system-ui, -apple-system, sans-serif'),
      monospace: fonts('Consolas, "Courier New", monospace'),
    },
    spacing: { small: 4, default: 8, medium: 14, large: 20, extraLarge: 28, padding: 14 },
    separator: { lineThickness: 1, lineColor: '#e0e0e0' },
    supportsInteractivity: true,
    containerStyles: {
      default: { backgroundColor: '#ffffff', foregroundColors: colors },
      emphasis: { backgroundColor: '#f7f7fb', foregroundColors: colors },
    },
    actions: {
      // Titles may wrap, so a button narrower than its title (a narrow window) grows taller, not wider.
      maxActions: 6, spacing: 'default', buttonSpacing: 8, actionsOrientation: 'horizontal', actionAlignment: 'left', allowTitleToWrap: true,
      showCard: { actionMode: 'inline', inlineTopMargin: 10 },
    },
  });

  function setStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? 'error' : '';
  }

  function showJson(data) {
    $('card-json').textContent = JSON.stringify(data.card, null, 2);
    const d = data.diagnosis !== undefined ? data.diagnosis : null;
    $('diagnosis-title').hidden = d === null;
    $('diagnosis-json').hidden = d === null;
    $('diagnosis-json').textContent = d === null ? '' : JSON.stringify(d, null, 2);
    jsonBox.hidden = false;
  }

  // The diagnosis' warnings (e.g. the paste was cut to the limit) go above the card, in the
  // page's own words, so they are read before the answer; the card still carries them too.
  function showNotice(warnings) {
    const list = Array.isArray(warnings) ? warnings.filter((w) => typeof w === 'string' && w !== '') : [];
    notice.replaceChildren(...list.map((w) => {
      const p = document.createElement('p');
      p.textContent = w;
      return p;
    }));
    notice.hidden = list.length === 0;
  }

  // A failed request leaves no earlier answer on screen: it would read as the answer to this one.
  function clearAnswer() {
    cardHost.replaceChildren();
    showNotice([]);
    jsonBox.hidden = true;
    $('card-json').textContent = '';
    $('diagnosis-json').textContent = '';
  }

  function render(data) {
    const card = new AC.AdaptiveCard();
    card.hostConfig = hostConfig;
    card.onExecuteAction = onAction;
    card.parse(data.card);
    const el = card.render();
    cardHost.replaceChildren(el);
    showNotice(data.diagnosis ? data.diagnosis.warnings : []);
    showJson(data);
  }

  // Requests whose answer replaces the card: on failure the card goes and the status says why.
  async function answer(url, body, type) {
    const data = await post(url, body, type);
    if (data) render(data);
    else clearAnswer();
  }

  async function onAction(action) {
    if (action instanceof AC.OpenUrlAction) {
      window.open(action.url, '_blank', 'noopener,noreferrer');
      return;
    }
    if (!(action instanceof AC.SubmitAction)) return;
    const data = action.data || {};
    if (data.action === 'feedback') {
      const res = await post('/api/feedback', JSON.stringify({ id: data.id, verdict: data.verdict, outcome: data.outcome }), 'application/json');
      if (res) setStatus(res.message, false);
    } else if (data.action === 'followup') {
      await answer('/api/followup', JSON.stringify(data), 'application/json');
    } else if (data.action === 'kb') {
      await answer('/api/diagnose', JSON.stringify({ text: 'kb ' + data.id }), 'application/json');
    }
  }

  async function post(url, body, type) {
    submitButton.disabled = true;
    setStatus('Working…', false);
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': type }, body });
      const data = await res.json().catch(() => ({ error: 'the server sent an answer that is not JSON' }));
      if (!res.ok) {
        setStatus(data.error || ('HTTP ' + res.status), true);
        return null;
      }
      setStatus('', false);
      return data;
    } catch (e) {
      setStatus('The server could not be reached: ' + e.message, true);
      return null;
    } finally {
      submitButton.disabled = false;
    }
  }

  async function diagnoseText() {
    const text = paste.value;
    if (text.trim() === '') {
      setStatus('Paste some log lines first.', true);
      return;
    }
    await answer('/api/diagnose', JSON.stringify({ text }), 'application/json');
  }

  async function diagnoseFile(file) {
    const bytes = await file.arrayBuffer();
    await answer('/api/diagnose?name=' + encodeURIComponent(file.name), bytes, 'application/octet-stream');
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    diagnoseText();
  });
  paste.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      diagnoseText();
    }
  });
  fileInput.addEventListener('change', () => {
    if (fileInput.files && fileInput.files[0]) diagnoseFile(fileInput.files[0]);
    fileInput.value = '';
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (f) diagnoseFile(f);
  });
})();
