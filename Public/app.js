// The tenant web form: a thin client of the JSON API (/v1, docs/api.md). No framework, no build step.
// Every text that comes from the API is put into the page with textContent, never parsed as HTML.
//
// Layout of this file: small helpers · the API client · words for the API's problems · copy buttons · check
// reports and the public check page · session · routing (#/, #/domains/<name>, #/domains/<name>/reports, #/tokens,
// #/alerts, #/activity, #/check) · the refresher that keeps an open page current · the domain list · the domain page (checklist,
// verification, DNS records, certificate, checks, policy editor with enforce readiness, provider presets, changing
// mail provider, TLS-RPT addresses, history, removal) · the TLS reports page (chart, failures, reporters, reports) ·
// API tokens · alerts (webhooks, e-mail) · activity (the audit log) · wiring.
'use strict';

(() => {
  const TOKEN_KEY = 'mtasts.session';
  const PENDING_KEY = 'mtasts.pending-id.'; // + domain: a policy id saved here whose TXT is not published yet
  const OFFBOARDING_MAX_AGE = 86400;
  const MAX_AGE_LIMIT = 31557600;
  const DAY = 86400;

  const state = {
    token: null,
    account: null,
    domains: [],
    listExtras: {}, // domain name → {certificate, policy} for the list rows (mode and expiry)
    route: { view: 'none' },
    domain: null, // the domain on the open domain page
    epoch: 0, // bumped whenever the open page changes; late answers for an older page are dropped
    policy: null,
    etag: null,
    history: [],
    dnsRecords: null, // the last GET …/dns-records
    certificate: null,
    mxCheck: null, // the last GET …/mx-check (live MX hosts)
    refusal: null, // the last 422 mx-not-covered / mx-check-failed / 409 enforce-not-ready for the draft it was about
    readiness: null, // enforce_readiness of …/reports/summary while the policy is testing (null otherwise)
    tlsrpt: null,
    checks: null, // the worker's last few reports (GET …/checks), newest first
    checkNow: null, // the report of the tenant's own "Check now" on the open page
    mxPresets: null, // GET …/mx-presets
    mxChange: null, // the domain's MX-change plan in progress, else its latest (null: none ever)
    preloaded: null, // a domain object just received (add, verify) that openDomain need not fetch again
    checked: {}, // what → Date of the last successful look (domain, dns, certificate, mx, verify)
    pendingFocus: null,
    activity: { entries: [], nextBefore: null }, // the activity page: the audit log read so far
    reports: null, // the TLS reports page: {name, domain, summary, tlsrpt, listings, nextBefore, detail, download}
    alerts: {
      webhooks: [],
      deliveries: {}, // webhook id → its newest deliveries
      watching: {}, // webhook id → the id of the test delivery whose outcome is still to be said
      settings: null, // GET /v1/account/alerts
    },
  };

  // MARK: - Small DOM helpers

  const byId = (id) => document.getElementById(id);

  /** Creates an element; `text` is set with textContent, children are appended. */
  function el(tag, options = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'className') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key === 'hidden') node.hidden = Boolean(value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function parseDate(text) {
    if (!text) return null;
    const date = text instanceof Date ? text : new Date(text);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  function formatDate(text, style = 'medium') {
    const date = parseDate(text);
    if (!date) return text ? String(text) : '—';
    return new Intl.DateTimeFormat(undefined, { dateStyle: style, timeStyle: 'short' }).format(date);
  }

  function formatDay(text) {
    const date = parseDate(text);
    if (!date) return text ? String(text) : '—';
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(date);
  }

  function formatDuration(seconds) {
    const value = Number(seconds);
    if (!Number.isFinite(value)) return String(seconds);
    if (value === 31536000) return '1 year';
    if (value === MAX_AGE_LIMIT) return '1 year (365¼ days)';
    if (value === 7 * DAY) return '1 week';
    if (value >= DAY && value % DAY === 0) {
      const days = value / DAY;
      return days === 1 ? '1 day' : `${days} days`;
    }
    if (value >= 3600 && value % 3600 === 0) {
      const hours = value / 3600;
      return hours === 1 ? '1 hour' : `${hours} hours`;
    }
    if (value >= DAY) return `${(value / DAY).toFixed(1)} days (${value} seconds)`;
    return `${value} seconds`;
  }

  /** "just now", "12 s ago", "3 min ago", "5 h ago", or the date. */
  function ago(text) {
    const date = parseDate(text);
    if (!date) return 'never';
    const seconds = Math.max(0, Math.round((Date.now() - date.getTime()) / 1000));
    if (seconds < 5) return 'just now';
    if (seconds < 60) return `${seconds} s ago`;
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return `${minutes} min ago`;
    const hours = Math.round(minutes / 60);
    if (hours < 48) return `${hours} h ago`;
    return `on ${formatDate(date)}`;
  }

  /** A <time> that the refresher keeps saying "… ago" about; the exact time is its title. */
  function agoNode(text) {
    const date = parseDate(text);
    if (!date) return el('span', { text: 'never' });
    return el('time', { datetime: date.toISOString(), title: formatDate(date, 'long'), dataset: { ago: date.toISOString() },
      text: ago(date) });
  }

  function updateAgoTimes() {
    for (const node of document.querySelectorAll('time[data-ago]')) {
      const text = ago(node.dataset.ago);
      if (node.textContent !== text) node.textContent = text;
    }
  }

  /** Sets a line such as "Checked 4 s ago." in `node` (prefix, a live <time>, suffix). */
  function setChecked(node, prefix, date, suffix = '.') {
    if (!node) return;
    if (!date) { node.replaceChildren(); return; }
    node.replaceChildren(prefix, agoNode(date), suffix);
  }

  /** Text for a live region; a fresh text node makes screen readers announce a repeated message again. */
  function say(node, message) {
    if (!node) return;
    node.textContent = '';
    if (message) window.requestAnimationFrame(() => { node.textContent = message; });
  }

  /** Like say(), and clears the message after a while (it describes a moment, not the page). */
  function sayForAWhile(node, message, seconds = 30) {
    say(node, message);
    window.clearTimeout(Number(node.dataset.timer || 0));
    node.dataset.timer = String(window.setTimeout(() => { node.textContent = ''; }, seconds * 1000));
  }

  /** The page-wide notice at the top: only for what is not tied to a control (log-in, log-out, session end). */
  function announce(message) { say(byId('notice'), message); }

  function clearNotice() { byId('notice').textContent = ''; }

  function focusElement(node) {
    if (!node) return;
    if (!node.hasAttribute('tabindex') && !/^(BUTTON|INPUT|SELECT|TEXTAREA|A)$/.test(node.tagName)) {
      node.setAttribute('tabindex', '-1');
    }
    node.focus();
  }

  /**
   * Disables the control(s) while `work` runs. A disabled button loses keyboard focus, so focus goes back to it
   * afterwards unless `work` moved it somewhere on purpose.
   */
  async function busy(controls, work) {
    const list = (Array.isArray(controls) ? controls : [controls]).filter(Boolean);
    const focused = list.find((control) => control === document.activeElement);
    for (const control of list) { control.disabled = true; control.setAttribute('aria-busy', 'true'); }
    try {
      return await work();
    } finally {
      for (const control of list) { control.disabled = false; control.removeAttribute('aria-busy'); }
      const lost = !document.activeElement || document.activeElement === document.body;
      if (focused && lost && document.contains(focused) && focused.offsetParent !== null) focused.focus();
    }
  }

  const plural = (count, one, many) => (count === 1 ? `1 ${one}` : `${count} ${many}`);

  /** "a", "a and b", "a, b and c". */
  function listWords(items) {
    if (items.length <= 1) return items.join('');
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  }

  // MARK: - The API client

  class APIError extends Error {
    constructor(status, problem, retryAfter) {
      super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
      this.status = status;
      this.problem = problem || {};
      this.retryAfter = retryAfter;
    }

    /** The last segment of the problem type (`mx-not-covered`). */
    get kind() { return String(this.problem.type || '').split('/').pop(); }
  }

  /** The status of an APIError for a background request that was not sent (no live-lookup slot free). */
  const SKIPPED = -1;

  /**
   * Requests that make the platform look up DNS live (verify, dns-records, mx-check, PUT policy): the API runs at
   * most two of them at once per account and answers 429 too-many-lookups beyond that. The page keeps to it: a
   * background refresh is not sent while both slots are taken, a tenant's action waits for a slot, and a 429
   * caused by another tab is waited out once (Retry-After).
   */
  const lookupSlots = {
    capacity: 2,
    active: 0,
    waiting: [],
    tryAcquire() {
      if (this.active >= this.capacity) return false;
      this.active += 1;
      return true;
    },
    acquire() {
      return this.tryAcquire() ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
    },
    release() {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.active -= 1;
    },
  };

  /**
   * Calls the API; resolves to {status, data, etag}, rejects with an APIError holding the problem document.
   * `lookup` marks a request with live DNS lookups: 'wait' (a tenant's action) or 'skip' (a background refresh).
   */
  async function api(method, path, options = {}) {
    if (!options.lookup) return send(method, path, options);
    if (options.lookup === 'skip') {
      if (!lookupSlots.tryAcquire()) throw new APIError(SKIPPED, { title: 'Not sent' });
    } else {
      await lookupSlots.acquire();
    }
    try {
      try {
        return await send(method, path, options);
      } catch (error) {
        if (options.lookup !== 'wait' || error.kind !== 'too-many-lookups') throw error;
        const seconds = Math.min(10, error.retryAfter || 5);
        await new Promise((resolve) => { window.setTimeout(resolve, seconds * 1000); });
        return await send(method, path, options);
      }
    } finally {
      lookupSlots.release();
    }
  }

  async function send(method, path, { body, headers = {} } = {}) {
    const requestHeaders = { Accept: 'application/json, application/problem+json', ...headers };
    if (state.token) requestHeaders.Authorization = `Bearer ${state.token}`;
    if (body !== undefined) requestHeaders['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: requestHeaders,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (error) {
      throw new APIError(0, { title: 'Network error', detail: 'The platform could not be reached. Check your ' +
        'connection; this page tries again by itself.' });
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch (error) { data = null; }
    }
    if (!response.ok) {
      const problem = data && typeof data === 'object' && !Array.isArray(data)
        ? data
        : { title: response.statusText || 'Error', detail: `The server answered HTTP ${response.status}.` };
      if (response.status === 401 && state.token && !path.startsWith('/v1/sessions')) sessionEnded();
      throw new APIError(response.status, problem, Number(response.headers.get('Retry-After')) || null);
    }
    return { status: response.status, data, etag: response.headers.get('ETag') };
  }

  const domainPath = (name) => `/v1/domains/${encodeURIComponent(name)}`;

  // MARK: - Problems in the tenant's words

  function clearFieldErrors(form) {
    if (!form) return;
    for (const input of form.querySelectorAll('[data-field]')) {
      input.removeAttribute('aria-invalid');
      const message = byId(`${input.id}-error`);
      if (message) { message.replaceChildren(); message.hidden = true; }
    }
  }

  function hideProblem(container) {
    container.replaceChildren();
    container.hidden = true;
    container.classList.remove('success');
  }

  /** Puts `sentences` (strings or nodes) beside the field `input` and marks it invalid. */
  function setFieldError(input, sentences) {
    const message = byId(`${input.id}-error`);
    input.setAttribute('aria-invalid', 'true');
    if (!message) return;
    const list = Array.isArray(sentences) ? sentences : [sentences];
    message.replaceChildren(...list.map((item) => (item instanceof Node
      ? item : el('span', { className: 'error-line', text: item }))));
    message.hidden = false;
  }

  /**
   * Shows each `errors[]` item beside its field as a sentence from `words(item)` (one per field and line, never
   * the API's field path); returns the first field marked, or null when none of them belongs to `form`.
   */
  function showFieldErrors(form, errors, words) {
    clearFieldErrors(form);
    const byField = new Map();
    for (const item of errors) {
      const name = String(item.field || '').replace(/\[\d+\]$/, '');
      const input = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
      if (!input) continue;
      const sentence = words(item);
      if (!sentence) continue;
      if (!byField.has(input)) byField.set(input, []);
      const sentences = byField.get(input);
      if (!sentences.includes(sentence)) sentences.push(sentence);
    }
    let first = null;
    for (const [input, sentences] of byField) {
      setFieldError(input, sentences);
      first = first || input;
    }
    return first;
  }

  /** The field to focus: the first radio of a fieldset, else the field itself. */
  function focusField(input) {
    if (input.tagName === 'FIELDSET') {
      const choice = input.querySelector('input:checked') || input.querySelector('input');
      focusElement(choice);
    } else {
      focusElement(input);
    }
  }

  /** A problem that belongs to no field, in plain words: `title` (bold) and sentences. */
  function showMessage(container, title, ...lines) {
    container.classList.remove('success');
    const nodes = lines.filter((line) => line).map((line) => (line instanceof Node ? line : el('p', { text: line })));
    container.replaceChildren(...(title ? [el('p', { className: 'problem-title', text: title })] : []), ...nodes);
    container.hidden = false;
  }

  /** Words for a problem the form has no better sentence for (network, server error, a state conflict). */
  function genericProblem(error) {
    if (!(error instanceof APIError)) return ['Something went wrong in this page.', String(error && error.message)];
    const problem = error.problem;
    if (error.status === 0) return ['The platform could not be reached.', problem.detail];
    if (error.status >= 500) {
      return ['Something went wrong on the platform.', 'Try again in a moment.' +
        (problem.request_id ? ` If it keeps happening, quote this reference to support: ${problem.request_id}.` : '')];
    }
    if (error.status === 404) return ['Not found.', 'It may have been removed in another window. Reload the list.'];
    return [problem.title || 'The request was refused.', problem.detail || ''];
  }

  function showGenericProblem(container, error, { extra = [], focus = true } = {}) {
    const [title, detail] = genericProblem(error);
    showMessage(container, title, detail, ...extra);
    if (focus) focusElement(container);
  }

  /** One sentence per rule the API names (docs/api.md), for fields that have no special words. */
  function commonWords(item, { what = 'This field' } = {}) {
    const message = String(item.message || '');
    const number = (/\d+/.exec(message) || [])[0];
    switch (item.rule) {
      case 'required': return `${what} is needed.`;
      case 'min_length': return number ? `Use at least ${number} characters.` : `${what} is too short.`;
      case 'max_length': return number ? `Use at most ${number} characters.` : `${what} is too long.`;
      case 'characters': return `${what} contains characters that are not allowed here (control characters).`;
      case 'type': case 'unknown_field': case 'json':
        return 'The page sent something the platform did not expect: reload the page and try again.';
      default: return message || `${what} was not accepted.`;
    }
  }

  /** Words for what is wrong with a domain name, by the API's rule (DomainRoutes.rule(for:)). */
  function domainNameWords(rule, text, { role = 'domain' } = {}) {
    const shown = text ? `“${text}”` : 'This name';
    const example = role === 'domain' ? 'example.com' : 'mx1.example.com';
    switch (rule) {
      case 'required': return role === 'domain' ? 'Enter a domain name, such as example.com.' : `${shown} is empty.`;
      case 'ip_address':
        return role === 'domain'
          ? `${shown} is an IP address. Enter the domain your email addresses end with, such as example.com.`
          : `${shown} is an IP address; MX hosts are names, such as mx1.example.com.`;
      case 'wildcard':
        return role === 'domain'
          ? `Enter the domain itself, such as example.com, without “*”. Patterns like *.example.com belong in the ` +
            'policy\'s list of mail servers, not here.'
          : `${shown}: a * may only be the whole first label, as in *.example.com (it then stands for exactly one ` +
            'label).';
      case 'underscore': return `${shown} contains “_”, which host names cannot have.`;
      case 'single_label': return `${shown} has no dot: enter the full name, such as ${example}.`;
      case 'numeric_tld': return `${shown} ends in a number; the last part of a domain name must contain a letter.`;
      case 'empty_label': return `${shown} has two dots in a row, or starts with a dot.`;
      case 'hyphens': return `${shown}: a part of the name may not start or end with “-”, nor have “--” as its 3rd and ` +
        '4th characters (that is reserved for xn-- names).';
      case 'characters': return `${shown} contains characters a host name cannot have: use letters, digits, ` +
        'hyphens and dots.';
      case 'max_length': case 'length': return `${shown} is too long for a DNS name.`;
      case 'punycode': return `${shown} has an xn-- part that is not a valid internationalised name.`;
      default: return null;
    }
  }

  // MARK: - Copy buttons

  /** The element whose text a copy button copies: its data-copy-from target, else the code element before it. */
  function copySource(button) {
    if (!button) return null;
    if (button.dataset.copyFrom) return byId(button.dataset.copyFrom);
    const previous = button.previousElementSibling;
    return previous && previous.tagName === 'CODE' ? previous : null;
  }

  /** The live region right after a copy button (created with it), where "Copied." appears. */
  function copyStatus(button) {
    let node = button.nextElementSibling;
    if (!node || !node.classList.contains('copy-status')) {
      node = el('span', { className: 'copy-status', role: 'status', 'aria-live': 'polite' });
      button.after(node);
    }
    return node;
  }

  /** The pre-Clipboard-API way: copies `text` from a temporary off-screen textarea; true when it worked. */
  function copyWithSelection(text, button) {
    const scratch = el('textarea', { className: 'copy-scratch', readonly: '', 'aria-hidden': 'true', tabindex: '-1' });
    scratch.value = text;
    document.body.append(scratch);
    scratch.select();
    let copied = false;
    try { copied = document.execCommand('copy'); } catch (ignored) { copied = false; }
    scratch.remove();
    if (button) button.focus();
    return copied;
  }

  async function copyText(text, label, button) {
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (error) {
      // Clipboard access denied (permissions, no user focus): fall back to a selection.
      copied = copyWithSelection(text, button);
      const source = copySource(button);
      if (!copied && source) {
        // Leave the text selected so that it can be copied with the keyboard.
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
    }
    if (!button) return;
    const status = copyStatus(button);
    say(status, copied ? `Copied the ${label}.` : `Select the ${label} and copy it with your keyboard.`);
    window.clearTimeout(Number(status.dataset.timer || 0));
    status.dataset.timer = String(window.setTimeout(() => { status.textContent = ''; }, 6000));
    if (copied) {
      const original = button.dataset.originalText || button.textContent;
      button.dataset.originalText = original;
      button.textContent = 'Copied';
      window.setTimeout(() => { button.textContent = original; }, 2000);
    }
  }

  /** A copy button and its live region (a fragment: button, then status). */
  function copyButton(text, label, { buttonText = 'Copy', key } = {}) {
    const button = el('button', { type: 'button', className: 'copy secondary', text: buttonText,
      'aria-label': `Copy ${label}`, dataset: key ? { focusKey: key } : undefined });
    button.addEventListener('click', () => copyText(text, label, button));
    const fragment = document.createDocumentFragment();
    fragment.append(button, el('span', { className: 'copy-status', role: 'status', 'aria-live': 'polite' }));
    return fragment;
  }

  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-copy-from]') : null;
    if (!button) return;
    const source = byId(button.dataset.copyFrom);
    if (source) copyText(source.textContent, button.dataset.copyLabel || 'text', button);
  });

  /**
   * Replaces the children of `container` with `nodes`, keeping keyboard focus on the control with the same
   * data-focus-key (a periodic refresh must not throw the tenant's focus away).
   */
  function replaceKeepingFocus(container, nodes) {
    const active = document.activeElement;
    const key = active && container.contains(active) ? active.dataset.focusKey : null;
    container.replaceChildren(...nodes);
    if (key) {
      const again = container.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
      if (again) again.focus();
    }
  }

  // MARK: - Check reports (docs/checks.md): the public check page and the domain page's Checks panel

  /** Words per finding severity: the group heading and the counted noun. */
  const SEVERITY_WORDS = {
    error: { group: 'Problems to fix', one: 'problem', many: 'problems' },
    warning: { group: 'Warnings', one: 'warning', many: 'warnings' },
    info: { group: 'Good to know', one: 'note', many: 'notes' },
  };

  /** The badge for a check: the worst only ("2 problems", "1 warning", "All good"); data-severity colours it. */
  function checkBadge(summary) {
    const errors = Number(summary.errors) || 0;
    const warnings = Number(summary.warnings) || 0;
    const [text, tone] = errors > 0 ? [plural(errors, 'problem', 'problems'), 'error']
      : warnings > 0 ? [plural(warnings, 'warning', 'warnings'), 'warning'] : ['All good', 'ok'];
    return el('span', { className: 'badge check-badge', dataset: { severity: tone }, text });
  }

  /** "2 problems, 1 warning and 1 note", or "nothing to fix". */
  function countWords(summary) {
    const parts = ['error', 'warning', 'info'].map((severity) => {
      const count = Number(summary[{ error: 'errors', warning: 'warnings', info: 'infos' }[severity]]) || 0;
      return count > 0 ? plural(count, SEVERITY_WORDS[severity].one, SEVERITY_WORDS[severity].many) : null;
    }).filter(Boolean);
    return parts.length ? listWords(parts) : 'nothing to fix';
  }

  /** One sentence on what the worst finding means for senders. */
  function verdictWords(summary) {
    if (Number(summary.errors) > 0) return 'Something is broken for senders right now: fix the problems first.';
    if (Number(summary.warnings) > 0) return 'It works for senders, with weak spots: see the warnings.';
    return 'Senders find everything they need. Nothing to fix.';
  }

  /**
   * The DNS records a fix asks to publish, taken out of its sentence ("Publish <name>. TXT "<value>"",
   * "Add <name>. CAA 0 issue "<ca>"", "(or CNAME <name>. to <target>.)"), so that each gets copy buttons.
   */
  function recordsInFix(fix) {
    const records = [];
    const publish = /\b(?:Publish|Add) (\S+?)\.? (TXT|CNAME|CAA) ("(?:[^"\\]|\\.)*"|\d+ [a-z]+ "[^"]*"|\S+)/g;
    for (const match of String(fix).matchAll(publish)) {
      let value = match[3];
      if (match[2] === 'TXT') value = value.slice(1, -1).replace(/\\(.)/g, '$1');
      else if (match[2] === 'CNAME') value = value.replace(/\.$/, '');
      // A placeholder ("id=<policy id>" for a domain not hosted here) is for the tenant to fill in, not to copy.
      if (!value.includes('<')) records.push({ name: match[1], type: match[2], value, alternative: false });
    }
    for (const match of String(fix).matchAll(/\(or CNAME (\S+?)\.? to (\S+?)\.?[) ]/g)) {
      records.push({ name: match[1], type: 'CNAME', value: match[2], alternative: true });
    }
    return records;
  }

  function fixRecordsNode(records) {
    if (records.length === 0) return null;
    return el('div', { className: 'fix-records' }, ...records.map((record) => el('div', { className: 'fix-record' },
      el('p', { className: 'option-head' }, el('strong', { text: record.alternative
        ? `Or instead, a ${record.type} record:` : `The ${record.type} record to publish:` })),
      el('dl', { className: 'record-fields' },
        el('dt', { text: 'Name' }), el('dd', {}, el('code', { className: 'value', text: record.name }), ' ',
          copyButton(record.name, 'record name')),
        el('dt', { text: 'Type' }), el('dd', {}, el('code', { text: record.type })),
        el('dt', { text: 'Value' }), el('dd', {}, el('code', { className: 'value', text: record.value }), ' ',
          copyButton(record.value, `${record.type} record value`))))));
  }

  /** Details worth showing beside a finding's sentences (docs/checks.md), in the order shown, with their labels. */
  const FINDING_DETAILS = [
    ['records', 'Found'], ['record', 'Found'], ['aliases', 'Points to'], ['location', 'Redirects to'],
    ['content_type', 'Served as'], ['patterns', 'The policy lists'], ['mx_hosts', 'Your MX hosts'],
    ['certificate_names', 'Names in the certificate'], ['negotiated', 'TLS version it agreed on'],
    ['not_after', 'Expires'], ['testing_since', 'In testing since'],
    ['ttl', 'Resolvers may keep the old answer for'], ['strict_verdict', 'Strict senders say'],
    ['lenient_verdict', 'Lenient senders say'], ['ca_identities', 'Certificate authorities allowed'],
  ];

  function detailValue(key, value) {
    if (Array.isArray(value)) {
      return value.length ? el('ul', { className: 'detail-values' },
        ...value.map((item) => el('li', {}, el('code', { className: 'value', text: item })))) : null;
    }
    if (value === null || value === undefined || value === '') return null;
    if (key === 'not_after' || key === 'testing_since') return formatDate(value, 'long');
    if (key === 'ttl') return formatDuration(value);
    if (key.endsWith('_verdict')) return String(value);
    return el('code', { className: 'value', text: value });
  }

  function findingNode(finding) {
    const details = FINDING_DETAILS.map(([key, label]) => [label, detailValue(key, finding[key])])
      .filter(([, value]) => value !== null);
    return el('li', { className: 'finding', dataset: { code: finding.code, severity: finding.severity } },
      el('p', { className: 'finding-message', text: humanDates(finding.message) }),
      finding.fix ? el('p', { className: 'finding-fix' }, el('strong', { text: 'What to do: ' }),
        el('span', { text: humanDates(finding.fix) })) : null,
      finding.severity === 'info' ? null : fixRecordsNode(recordsInFix(finding.fix || '')),
      details.length ? el('dl', { className: 'record-fields finding-details' },
        ...details.flatMap(([label, value]) => [el('dt', { text: label }), el('dd', {}, value)])) : null);
  }

  /** "What the check saw": the records and policy it found, in a closed details element. */
  function observedNode(observed) {
    if (!observed) return null;
    const policy = observed.policy;
    const rows = [
      ['_mta-sts record', observed.sts_record || 'none found'],
      ['Policy host points to', (observed.policy_host_aliases || []).join(', ') || 'nowhere (no alias found)'],
      ['MX hosts', Array.isArray(observed.mx_hosts) ? observed.mx_hosts.join(', ') || 'none' : 'not known (lookup failed)'],
      ['Policy', policy ? `mode ${policy.mode} · mx ${(policy.mx || []).join(', ') || 'none'} · kept ` +
        `${formatDuration(policy.max_age)}` : 'none found'],
    ];
    return el('details', { className: 'observed' }, el('summary', { text: 'What the check saw' }),
      el('dl', { className: 'record-fields' }, ...rows.flatMap(([term, value]) =>
        [el('dt', { text: term }), el('dd', { text: value })])));
  }

  /**
   * A report as the tenant reads it: badge and verdict, then every finding grouped by severity (message, what to
   * do, the record to publish with copy buttons, the useful details), then what the check saw.
   * `who` says who ran it ("You checked", "The platform checked"), `source` the same for data-source (own, worker,
   * public). The groups are h3: under the Checks panel's h2, or under the title (h2) on the check page.
   */
  function reportNode(report, { who, source, title = null }) {
    const summary = report.summary || {};
    const findings = Array.isArray(report.findings) ? report.findings : [];
    const groups = ['error', 'warning', 'info'].map((severity) => {
      const items = findings.filter((finding) => finding.severity === severity);
      if (items.length === 0) return null;
      return el('section', { className: 'findings', dataset: { severity } },
        el('h3', { text: `${SEVERITY_WORDS[severity].group} (${items.length})` }),
        el('ul', { className: 'finding-list' }, ...items.map(findingNode)));
    });
    return el('div', { className: 'report-body', dataset: { domain: report.domain, checkedAt: report.checked_at,
      source } },
      title ? el('h2', { className: 'report-title', text: title }) : null,
      el('p', { className: 'record-head' }, checkBadge(summary), ' ',
        el('span', { className: 'muted' }, `${who} `, agoNode(report.checked_at), ` · ${countWords(summary)}.`)),
      el('p', { className: 'report-verdict', text: verdictWords(summary) }),
      report.hosted ? el('p', { className: 'muted', text: 'Compared with the policy this platform serves for the ' +
        'domain.' }) : null,
      ...groups, observedNode(report.observed));
  }

  /** [title, sentences…] for a check that did not run (rate limits, network, a server error). */
  function checkProblemWords(error) {
    if (error.kind === 'too-many-checks') {
      const when = error.retryAfter ? new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })
        .format(new Date(Date.now() + error.retryAfter * 1000)) : null;
      return ['Too many checks for now.', `Checks are limited per hour ${state.token ? 'for each account' :
        'from each address'}. You can check again in ${waitWords(error.retryAfter)}${when ? ` (at ${when})` : ''}.`,
      state.token ? '' : 'Signed in, an account can run more checks.'];
    }
    if (error.kind === 'checks-busy') {
      return ['The platform is busy with other checks.', `Try again in ${waitWords(error.retryAfter)}.`];
    }
    if (error.status === 0) return ['The platform could not be reached.', 'Check your connection, then try again.'];
    return genericProblem(error);
  }

  // MARK: - The public check page (#/check): any domain, no account needed

  function previewCheckInput() {
    const { note } = domainFromInput(byId('check-domain').value);
    const text = note ? note.replace(/^Took (\S+) out of/, 'Will check $1, taken out of') : '';
    const node = byId('check-domain-note');
    if (node.textContent !== text) node.textContent = text;
  }

  async function runPublicCheck(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const field = form.elements.domain;
    const status = byId('check-status');
    const problemBox = byId('check-problem');
    const result = byId('check-result');
    hideProblem(problemBox);
    clearFieldErrors(form);
    const { name, note } = domainFromInput(field.value);
    if (note) field.value = name;
    byId('check-domain-note').textContent = note || '';
    say(status, `Checking ${name || 'the domain'}: its DNS records, its policy over HTTPS and its mail servers. ` +
      'This can take up to half a minute.');
    result.setAttribute('aria-busy', 'true');
    await busy(byId('check-submit'), async () => {
      try {
        const { data } = await api('POST', '/v1/checks', { body: { domain: name } });
        result.replaceChildren(reportNode(data, { who: 'Checked', source: 'public',
          title: `Result for ${data.domain}` }));
        say(status, `Checked ${data.domain}: ${countWords(data.summary)}.`);
      } catch (error) {
        status.textContent = '';
        result.replaceChildren();
        const errors = error.problem && Array.isArray(error.problem.errors) ? error.problem.errors : [];
        if (error.status === 422 && errors.length > 0) {
          const first = showFieldErrors(form, errors, (item) => domainNameWords(item.rule, name) ||
            commonWords(item, { what: 'The domain name' }));
          if (first) { focusField(first); return; }
        }
        const [title, ...lines] = checkProblemWords(error);
        showMessage(problemBox, title, ...lines);
        focusElement(problemBox);
      } finally {
        result.removeAttribute('aria-busy');
      }
    });
  }

  // MARK: - Session

  function setToken(token) {
    state.token = token;
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  }

  function sessionEnded() {
    setToken(null);
    showAuth();
    announce('Your session has ended. Log in again.');
  }

  function showAuth() {
    refresher.stop();
    leaveReports();
    state.account = null;
    state.domain = null;
    state.epoch += 1;
    state.route = { view: 'none' };
    byId('app-view').hidden = true;
    byId('app-nav').hidden = true;
    byId('account-bar').hidden = true;
    byId('check-view').hidden = true;
    byId('auth-view').hidden = false;
    hideTokenSecret();
    focusElement(byId('auth-heading'));
  }

  /** Signed out: the public check page at #/check, the sign-up and log-in page anywhere else. */
  function showSignedOut({ focus = true } = {}) {
    if (parseRoute(location.hash).view !== 'check') { showAuth(); return; }
    state.route = { view: 'check' };
    byId('auth-view').hidden = true;
    byId('app-view').hidden = true;
    byId('app-nav').hidden = true;
    byId('account-bar').hidden = true;
    byId('check-view').hidden = false;
    byId('check-back').hidden = false;
    document.title = 'Check a domain · MTA-STS hosting';
    if (focus) focusElement(byId('check-heading'));
  }

  async function showApp() {
    byId('auth-view').hidden = true;
    byId('app-view').hidden = false;
    byId('account-bar').hidden = false;
    byId('app-nav').hidden = false;
    await loadAccount();
    await route({ focus: false });
    refresher.start();
  }

  /** "12 seconds", "3 minutes", or "a little while" for a Retry-After. */
  function waitWords(seconds) {
    if (!seconds) return 'a little while';
    if (seconds < 90) return plural(Math.ceil(seconds), 'second', 'seconds');
    return plural(Math.ceil(seconds / 60), 'minute', 'minutes');
  }

  /** Sentences for sign-up and login fields. */
  function credentialWords(item, { signUp }) {
    if (item.field === 'email') {
      if (item.rule === 'required') return 'Enter your email address.';
      if (item.rule === 'email') return 'Enter a complete email address, such as you@example.com.';
    }
    if (item.field === 'invitation') {
      if (item.rule === 'required') return 'This platform takes new accounts by invitation: enter the code you were given.';
      if (item.rule === 'format') return 'An invitation code starts with inv_: check that you copied all of it.';
      if (item.rule === 'invitation') return 'This invitation code is unknown, already used or expired: ask for a new one.';
    }
    if (item.field === 'password') {
      if (item.rule === 'required') return signUp ? 'Choose a password of at least 12 characters.' : 'Enter your password.';
      if (item.rule === 'min_length') {
        const typed = byId('signup-password').value.length;
        return `Use at least 12 characters; this one has ${typed}.`;
      }
    }
    return commonWords(item, { what: item.field === 'email' ? 'The email address' : 'The password' });
  }

  async function submitCredentials(form, { signUp }) {
    const problemBox = byId(signUp ? 'signup-problem' : 'login-problem');
    hideProblem(problemBox);
    clearFieldErrors(form);
    const body = { email: form.elements.email.value.trim(), password: form.elements.password.value };
    if (signUp && !byId('signup-invitation-field').hidden) body.invitation = form.elements.invitation.value.trim();
    await busy(form.querySelector('button[type="submit"]'), async () => {
      try {
        const { data } = await api('POST', signUp ? '/v1/accounts' : '/v1/sessions', { body });
        const token = data.token ? data.token.value : data.value;
        setToken(token);
        form.reset();
        if (signUp && !location.hash.startsWith('#/domains/')) history.replaceState(null, '', '#/');
        await showApp();
        announce(signUp ? 'Your account is ready. Add your first domain.' : 'You are logged in.');
        if (state.route.view === 'list') focusElement(byId('domains-heading'));
      } catch (error) {
        const errors = error.problem && Array.isArray(error.problem.errors) ? error.problem.errors : [];
        if (error.status === 422 && errors.length > 0) {
          // A platform that takes invited sign-ups only asks for the code: show its field.
          if (signUp && errors.some((item) => item.field === 'invitation')) byId('signup-invitation-field').hidden = false;
          const first = showFieldErrors(form, errors, (item) => credentialWords(item, { signUp }));
          if (first) { focusField(first); return; }
        }
        if (error.status === 401) {
          showMessage(problemBox, 'Wrong email or password.', 'Check both and try again.');
        } else if (error.status === 429) {
          showMessage(problemBox, signUp ? 'Too many sign-ups right now.' : 'Too many attempts.',
            `Wait ${waitWords(error.retryAfter)} before trying again.`);
        } else if (error.kind === 'signup-closed') {
          showMessage(problemBox, 'This platform does not take new accounts.', 'Ask its operator for an account, ' +
            'or log in if you have one.');
        } else if (error.kind === 'account-exists') {
          const email = form.elements.email;
          const login = el('button', { type: 'button', className: 'link', text: 'Log in instead' });
          login.addEventListener('click', () => {
            byId('login-email').value = email.value.trim();
            focusElement(byId('login-password'));
          });
          setFieldError(email, [el('span', { className: 'error-line', text: 'There is already an account with this ' +
            'email address. ' }), login]);
          focusElement(email);
          return;
        } else {
          showGenericProblem(problemBox, error, { focus: false });
        }
        focusElement(problemBox);
      }
    });
  }

  async function logOut() {
    try {
      await api('DELETE', '/v1/sessions/current');
    } catch (error) {
      // The session may already be gone; the local token is dropped either way.
    }
    setToken(null);
    history.replaceState(null, '', '#/');
    showAuth();
    announce('You are logged out.');
  }

  // MARK: - Routing: #/ (domains), #/domains/<name>, #/tokens, #/alerts, #/activity, #/check (also signed out)

  function parseRoute(hash) {
    const path = String(hash || '').replace(/^#/, '');
    let match = /^\/domains\/([^/]+)(?:\/([a-z-]+))?\/?$/.exec(path);
    if (match) {
      let name;
      try { name = decodeURIComponent(match[1]); } catch (error) { name = match[1]; }
      if (match[2] === 'reports') return { view: 'reports', name };
      return { view: 'domain', name, section: match[2] || null };
    }
    match = /^\/tokens\/?$/.exec(path);
    if (match) return { view: 'tokens' };
    if (/^\/alerts\/?$/.test(path)) return { view: 'alerts' };
    if (/^\/activity\/?$/.test(path)) return { view: 'activity' };
    if (/^\/check\/?$/.test(path)) return { view: 'check' };
    return { view: 'list' };
  }

  const domainHash = (name) => `#/domains/${encodeURIComponent(name)}`;
  const reportsHash = (name) => `${domainHash(name)}/reports`;

  /** Goes to `hash`; the hashchange listener renders it (or renders at once when the hash is already there). */
  function navigate(hash, { focus } = {}) {
    state.pendingFocus = focus || null;
    if (location.hash === hash) route({ focus: true });
    else location.hash = hash;
  }

  /** Shows the view the address names. Notices and per-page feedback belong to the page they were said on. */
  async function route({ focus = true } = {}) {
    if (!state.token) { showSignedOut({ focus }); return; }
    const next = parseRoute(location.hash);
    const previous = state.route;
    state.route = next;
    clearNotice();
    for (const link of document.querySelectorAll('#app-nav a')) {
      const current = link.dataset.route === ({ tokens: 'tokens', alerts: 'alerts', activity: 'activity', check: 'check' }[next.view] || 'domains');
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const sameDomain = previous.view === 'domain' && next.view === 'domain' && previous.name === next.name &&
      Boolean(state.domain);
    const sameReports = previous.view === 'reports' && next.view === 'reports' && previous.name === next.name &&
      Boolean(state.reports);
    byId('list-view').hidden = next.view !== 'list';
    // Another domain's page stays hidden until its own content is in (openDomain shows it).
    byId('domain-view').hidden = !sameDomain;
    byId('reports-view').hidden = !sameReports;
    byId('tokens-view').hidden = next.view !== 'tokens';
    byId('alerts-view').hidden = next.view !== 'alerts';
    byId('activity-view').hidden = next.view !== 'activity';
    byId('check-view').hidden = next.view !== 'check';
    byId('check-back').hidden = true;
    const pending = state.pendingFocus;
    state.pendingFocus = null;
    if (next.view !== 'domain') leaveDomain();
    if (next.view !== 'reports') leaveReports();
    if (next.view !== 'alerts') leaveAlerts();
    if (next.view === 'list') {
      document.title = 'Your domains · MTA-STS hosting';
      await loadDomains();
      if (focus) focusElement(byId(pending || 'domains-heading'));
    } else if (next.view === 'tokens') {
      document.title = 'API tokens · MTA-STS hosting';
      if (previous.view !== 'tokens') byId('token-status').textContent = '';
      await loadTokens();
      if (focus) focusElement(byId(pending || 'tokens-heading'));
    } else if (next.view === 'alerts') {
      document.title = 'Alerts · MTA-STS hosting';
      if (previous.view !== 'alerts') { byId('webhook-status').textContent = ''; byId('email-status').textContent = ''; }
      await loadAlerts();
      refresher.last.alerts = Date.now(); // just read: the minute's look starts now
      if (focus) focusElement(byId(pending || 'alerts-heading'));
    } else if (next.view === 'activity') {
      document.title = 'Activity · MTA-STS hosting';
      if (previous.view !== 'activity') byId('activity-more-status').textContent = '';
      await loadActivity();
      if (focus) focusElement(byId(pending || 'activity-heading'));
    } else if (next.view === 'check') {
      document.title = 'Check a domain · MTA-STS hosting';
      if (focus) focusElement(byId(pending || 'check-heading'));
    } else if (next.view === 'reports') {
      if (!sameReports) await openReports(next.name);
      if (!state.reports) return;
      document.title = `TLS reports · ${state.reports.name} · MTA-STS hosting`;
      if (focus) focusElement(byId(pending || 'reports-heading'));
    } else {
      if (!sameDomain) await openDomain(next.name);
      if (!state.domain) return;
      document.title = `${state.domain.name} · MTA-STS hosting`;
      if (next.section) {
        const section = byId(`${next.section}-panel`);
        if (section && !section.hidden) { section.scrollIntoView(); focusElement(section.querySelector('h2')); return; }
      }
      if (focus) focusElement(byId(pending || 'domain-heading'));
    }
  }

  // MARK: - The refresher: keeps the open page current by itself

  /**
   * Re-reads what is still pending on a timer: every few seconds while setup is under way, slowly once live,
   * never while the tab is hidden; everything due at once when the tab comes back. One 1-second tick also keeps
   * every "… ago" current.
   */
  const refresher = {
    timer: null,
    tasks: [],
    last: {}, // task name → ms timestamp of the last start
    running: {},

    start() {
      if (this.timer) return;
      this.timer = window.setInterval(() => this.tick(), 1000);
    },

    stop() {
      if (this.timer) window.clearInterval(this.timer);
      this.timer = null;
      this.last = {};
    },

    /** Forgets when tasks last ran: a new page starts its own cadence (its first loads count as runs). */
    reset() {
      this.last = {};
      for (const task of this.tasks) this.last[task.name] = Date.now();
    },

    tick({ all = false } = {}) {
      updateAgoTimes();
      renderRefreshed();
      if (document.hidden || !state.token) return;
      const now = Date.now();
      for (const task of this.tasks) {
        const interval = task.interval();
        if (interval === null || this.running[task.name]) continue;
        const last = this.last[task.name] || 0;
        if (now - last < (all ? 2000 : interval)) continue;
        this.run(task);
      }
    },

    run(task) {
      this.last[task.name] = Date.now();
      this.running[task.name] = true;
      Promise.resolve(task.run()).catch(() => {}).finally(() => { this.running[task.name] = false; });
    },
  };

  /**
   * How eagerly the open domain page looks again: 'busy' while setup is under way and the tenant has been active in
   * the last ten minutes (every look at the DNS records also has the worker check the domain), 'idle' when setup is
   * under way but nobody has touched the page for a while, else 'calm'.
   */
  function pace() {
    const domain = state.domain;
    if (!domain) return null;
    if (domain.status === 'offboarding') return 'calm';
    const setup = setupOf(domain);
    if (setup.state !== 'action_needed' && setup.state !== 'waiting' && !pendingPolicyID()) return 'calm';
    return Date.now() - state.activeAt < 10 * 60 * SECONDS ? 'busy' : 'idle';
  }

  const SECONDS = 1000;
  const PACE = { busy: 5 * SECONDS, idle: 30 * SECONDS };
  state.activeAt = Date.now();
  for (const type of ['pointerdown', 'keydown', 'focus']) {
    window.addEventListener(type, () => { state.activeAt = Date.now(); }, { capture: true, passive: true });
  }
  refresher.tasks = [
    { name: 'domain', interval: () => (state.route.view !== 'domain' ? null : PACE[pace()] || 60 * SECONDS),
      run: () => refreshDomain() },
    { name: 'verify', interval: () => (state.route.view === 'domain' && state.domain &&
        state.domain.status === 'pending_verification' ? (pace() === 'busy' ? 10 * SECONDS : 60 * SECONDS) : null),
      run: () => verifyDomain({ automatic: true }) },
    { name: 'dns', interval: () => (state.route.view !== 'domain' ? null : PACE[pace()] || 300 * SECONDS),
      run: () => loadDNSRecords({ background: true }) },
    { name: 'certificate', interval: () => {
      if (state.route.view !== 'domain' || !state.domain || state.domain.status === 'pending_verification') return null;
      const status = state.certificate && state.certificate.status;
      return status === 'issued' || status === 'stopped' ? 300 * SECONDS : 5 * SECONDS;
    }, run: () => loadCertificate() },
    { name: 'mx', interval: () => (state.route.view === 'domain' && state.domain && state.domain.status === 'verified'
        ? 60 * SECONDS : null), run: () => loadMXCheck({ background: true }) },
    { name: 'list', interval: () => (state.route.view === 'list' ? 30 * SECONDS : null), run: () => loadDomains() },
    // A running MX change: every 10 s while it waits for the tenant or is about to, else every minute; not at all
    // once it has finished (nor, as every task, while the tab is hidden).
    { name: 'mx-change', interval: () => {
      const plan = state.route.view === 'domain' ? state.mxChange : null;
      if (!isActivePlan(plan)) return null;
      const safeAt = parseDate(plan.safe_at);
      const soon = plan.state === 'ready' || !safeAt || safeAt.getTime() - Date.now() < 2 * 60 * SECONDS;
      return soon ? 10 * SECONDS : 60 * SECONDS;
    }, run: () => loadMXChange() },
    // The alerts page's delivery logs while a delivery is pending (a test event just sent, a retry due).
    { name: 'deliveries', interval: () => deliveriesInterval(), run: () => refreshPendingDeliveries() },
    { name: 'alerts', interval: () => (state.route.view === 'alerts' ? 60 * SECONDS : null),
      run: () => Promise.all([loadWebhooks(), loadAlertSettings({ fillForm: false })]) },
  ];

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    state.activeAt = Date.now();
    refresher.tick({ all: true });
  });
  window.addEventListener('focus', () => refresher.tick({ all: true }));

  /** The header's "Updated … ago" line: how current the page is and how often it looks again. */
  function renderRefreshed() {
    const node = byId('domain-refreshed');
    if (!node || state.route.view !== 'domain' || !state.domain) return;
    const date = state.checked.domain;
    const cadence = document.hidden ? 'paused while this tab is hidden'
      : pace() === 'busy' ? 'this page looks again every few seconds until setup is done'
        : pace() === 'idle' ? 'this page looks again every 30 s until setup is done'
          : 'this page looks again every minute';
    const text = `${date ? `Updated ${ago(date)}` : 'Loading'} · ${cadence}.`;
    if (node.textContent !== text) node.textContent = text;
  }

  // MARK: - Account and domain list

  async function loadAccount() {
    try {
      const { data } = await api('GET', '/v1/account');
      state.account = data;
      renderAccount();
    } catch (error) {
      if (error.status !== 401) announce('Could not load your account. This page tries again when you come back to it.');
    }
  }

  function renderAccount() {
    const account = state.account;
    if (!account) return;
    byId('account-email').textContent = account.email;
    const usage = `${account.domain_count} of ${account.domain_limit} domains`;
    byId('account-usage').textContent = usage;
    byId('account-summary').textContent = `${account.email} · ${usage} used.`;
  }

  async function loadDomains() {
    const domains = [];
    let after = null;
    try {
      do {
        const query = new URLSearchParams({ limit: '100' });
        if (after) query.set('after', after);
        const { data } = await api('GET', `/v1/domains?${query}`);
        domains.push(...data.domains);
        after = data.next_after;
      } while (after);
    } catch (error) {
      if (error.status !== 401) announce('Could not load your domains. This page tries again in a moment.');
      return;
    }
    state.domains = domains;
    renderDomainList();
    loadListExtras(domains);
  }

  /**
   * The mode and certificate of each verified domain, for the list rows (the list items do not carry them):
   * a few requests at a time, rows filled in as they arrive.
   */
  async function loadListExtras(domains) {
    const fresh = (name) => state.listExtras[name] && Date.now() - state.listExtras[name].at < 5 * 60 * SECONDS;
    const queue = domains.filter((domain) => domain.status !== 'pending_verification' && !fresh(domain.name)).slice(0, 50);
    const worker = async () => {
      for (let domain = queue.shift(); domain; domain = queue.shift()) {
        const name = domain.name;
        const [certificate, policy] = await Promise.all([
          api('GET', `${domainPath(name)}/certificate`).then((r) => r.data, () => null),
          api('GET', `${domainPath(name)}/policy`).then((r) => r.data, () => null),
        ]);
        state.listExtras[name] = { certificate, policy, at: Date.now() };
        if (state.route.view === 'list') renderDomainList();
      }
    };
    await Promise.all([worker(), worker(), worker()]);
  }

  /** "Next" for a step the tenant does, "Waiting" for one the platform does. */
  function nextWord(setup) {
    const step = (setup.steps || []).find((entry) => entry.title === setup.next_step);
    return step && step.status === 'waiting' ? 'Waiting' : 'Next';
  }

  /** Words for a setup state: badge text, and the data-state value the CSS colours. */
  function stateWords(setup, domain) {
    switch (setup.state) {
      case 'action_needed': {
        const count = Number(setup.actions_needed) || 0;
        return count > 0 ? `Action needed · ${plural(count, 'step', 'steps')}` : 'Action needed';
      }
      case 'waiting': return 'Waiting for the platform';
      case 'live_testing': return 'Live · testing';
      case 'live_enforce': return 'Live · enforce';
      case 'offboarding': return `Offboarding until ${formatDay(setup.until || domain.serve_until)}`;
      default: return String(setup.state || domain.status).replace(/_/g, ' ');
    }
  }

  /** The worker's last check of a domain in brief: its badge and when (the domain's `check`). */
  function checkLine(summary) {
    if (!summary) return [el('span', { className: 'muted', text: 'Not checked yet: the platform checks it shortly.' })];
    return [checkBadge(summary), ' ', el('span', { className: 'muted' }, 'last check ', agoNode(summary.checked_at))];
  }

  function stateBadge(setup, domain) {
    return el('span', { className: 'badge state', dataset: { state: setup.state }, text: stateWords(setup, domain) });
  }

  function renderDomainList() {
    const list = byId('domain-list');
    const rows = state.domains.map((domain) => {
      const extras = state.listExtras[domain.name] || {};
      const setup = setupOf(domain);
      const meta = [];
      const mode = extras.policy ? extras.policy.mode : null;
      if (mode && domain.status === 'verified') meta.push(`mode ${mode}`);
      const certificate = extras.certificate;
      if (certificate && certificate.not_after) meta.push(`certificate valid until ${formatDay(certificate.not_after)}`);
      else if (domain.status === 'pending_verification') meta.push(`added ${formatDay(domain.created_at)}`);
      const link = el('a', { href: domainHash(domain.name), className: 'domain-link', text: domain.unicode_name || domain.name,
        'aria-current': state.domain && state.domain.name === domain.name ? 'true' : null });
      const next = setup.next_step && setup.state !== 'offboarding' && !setup.state.startsWith('live')
        ? el('p', { className: 'row-next', text: `${nextWord(setup)}: ${humanDates(setup.next_step)}` }) : null;
      return el('li', { dataset: { domain: domain.name, state: setup.state } },
        el('div', { className: 'row-main' }, link, stateBadge(setup, domain)),
        meta.length ? el('p', { className: 'row-meta', text: meta.join(' · ') }) : null,
        domain.status === 'verified' ? el('p', { className: 'row-check' }, ...checkLine(domain.check)) : null,
        next);
    });
    replaceKeepingFocus(list, rows);
    byId('domain-list-empty').hidden = state.domains.length > 0;
  }

  /**
   * What a tenant types or pastes as a domain, reduced to the host name: no scheme, user, path, query, port or
   * leading "www.". Returns {name, note} where note says what was taken out (null when nothing was).
   */
  function domainFromInput(raw) {
    const text = String(raw || '').trim();
    let host = text;
    const removed = [];
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(host);
    if (scheme) { host = host.slice(scheme[0].length); removed.push('the scheme'); }
    else if (/^mailto:/i.test(host)) { host = host.slice(7); removed.push('mailto:'); }
    const cut = host.search(/[/?#]/);
    if (cut >= 0) { if (host.slice(cut).replace(/^\/$/, '')) removed.push('the path'); host = host.slice(0, cut); }
    const at = host.lastIndexOf('@');
    if (at >= 0) { host = host.slice(at + 1); removed.push('the part before @'); }
    const port = /^([^:[\]]+):(\d+)$/.exec(host);
    if (port) { host = port[1]; removed.push('the port'); }
    if (/^www\./i.test(host) && host.split('.').length > 2) { host = host.slice(4); removed.push('“www.”'); }
    const name = host.replace(/\.$/, '').toLowerCase();
    const changed = name.length > 0 && removed.length > 0;
    return { name, note: changed ? `Took ${name} out of “${text}” (left out ${listWords(removed)}).` : null };
  }

  function previewDomainInput() {
    const field = byId('add-domain-name');
    const { note } = domainFromInput(field.value);
    const node = byId('add-domain-name-note');
    const text = note ? note.replace(/^Took (\S+) out of/, 'Will add $1, taken out of') : '';
    if (node.textContent !== text) node.textContent = text;
  }

  async function addDomain(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const field = form.elements.name;
    const problemBox = byId('add-domain-problem');
    hideProblem(problemBox);
    clearFieldErrors(form);
    const { name, note } = domainFromInput(field.value);
    if (note) field.value = name;
    byId('add-domain-name-note').textContent = note || '';
    await busy(form.querySelector('button[type="submit"]'), async () => {
      try {
        const { data } = await api('POST', '/v1/domains', { body: { name } });
        form.reset();
        byId('add-domain-name-note').textContent = '';
        state.preloaded = data;
        await loadAccount();
        navigate(domainHash(data.name), { focus: 'verify-heading' });
      } catch (error) {
        const errors = error.problem && Array.isArray(error.problem.errors) ? error.problem.errors : [];
        if (error.status === 422 && errors.length > 0) {
          const first = showFieldErrors(form, errors, (item) => domainNameWords(item.rule, name) || commonWords(item,
            { what: 'The domain name' }));
          if (first) { focusField(first); return; }
        }
        if (error.kind === 'domain-exists') {
          setFieldError(field, [el('span', { className: 'error-line', text: `You have already added ${name}. ` }),
            el('a', { href: domainHash(name.toLowerCase().replace(/\.$/, '')), text: `Open ${name}` })]);
          focusElement(field);
          return;
        }
        if (error.kind === 'domain-limit-reached') {
          const limit = error.problem.limit;
          setFieldError(field, `Your account can hold ${limit === undefined ? 'no more' : limit} domains and they are ` +
            'all in use: remove one before adding another.');
          focusElement(field);
          return;
        }
        showGenericProblem(problemBox, error);
      }
    });
  }

  // MARK: - The setup state (the API's `setup`, docs/api.md)

  /**
   * The domain's setup as the API computes it (`setup` on every domain object). A server without it still gets a
   * state from the domain's status, with no checklist.
   */
  function setupOf(domain) {
    if (domain && domain.setup && typeof domain.setup === 'object') return domain.setup;
    const status = domain ? domain.status : null;
    return { state: status === 'offboarding' ? 'offboarding' : status === 'pending_verification' ? 'action_needed' : 'waiting',
      actions_needed: status === 'pending_verification' ? 1 : 0, next_step: null,
      until: domain ? domain.serve_until || null : null, steps: [] };
  }

  /** A sentence from the API with any RFC 3339 timestamp in it shown as a local date. */
  function humanDates(text) {
    return String(text || '').replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)\b/g,
      (match) => formatDate(match));
  }

  // MARK: - Domain page

  function leaveDomain() {
    // What the list shows about this domain may have changed while it was open.
    if (state.domain) delete state.listExtras[state.domain.name];
    state.domain = null;
    state.epoch += 1;
  }

  /** Resets the page's panels and loads everything about `name`. */
  async function openDomain(name) {
    state.epoch += 1;
    const epoch = state.epoch;
    let domain = state.preloaded && state.preloaded.name === name ? state.preloaded : null;
    state.preloaded = null;
    try {
      domain = domain || (await api('GET', domainPath(name))).data;
    } catch (error) {
      if (error.status === 404 || error.status === 422) {
        state.domain = null;
        byId('domain-view').hidden = true;
        byId('list-view').hidden = false;
        state.route = { view: 'list' };
        history.replaceState(null, '', '#/');
        await loadDomains();
        announce(`There is no domain ${name} in your account.`);
        return;
      }
      throw error;
    }
    if (epoch !== state.epoch) return;
    Object.assign(state, { domain, policy: null, etag: null, history: [], dnsRecords: null, certificate: null,
      mxCheck: null, refusal: null, readiness: null, tlsrpt: null, checks: null, checkNow: null, mxPresets: null,
      mxChange: null, checked: { domain: new Date() } });
    for (const id of ['domain-problem', 'verify-result', 'policy-result', 'tlsrpt-result', 'check-now-problem',
      'mx-change-problem']) hideProblem(byId(id));
    for (const id of ['tlsrpt-status', 'policy-status', 'dns-status', 'history-status', 'domain-live', 'check-now-status',
      'mx-change-status']) byId(id).textContent = '';
    for (const id of ['checks-latest', 'checks-history', 'mx-change-steps', 'mx-change-remove-list']) {
      byId(id).replaceChildren();
      delete byId(id).dataset.key;
    }
    byId('mx-change-plan').hidden = true;
    byId('policy-readiness').replaceChildren();
    byId('policy-readiness').hidden = true;
    byId('tlsrpt-reports-link').href = reportsHash(domain.name);
    byId('mx-change-preset-note').textContent = '';
    byId('mx-change-form').reset();
    clearFieldErrors(byId('mx-change-form'));
    renderPresets();
    byId('delete-result').hidden = true;
    byId('dns-records').replaceChildren();
    byId('certificate').replaceChildren();
    byId('certificate-summary').textContent = '';
    byId('history').replaceChildren();
    byId('mx-check').replaceChildren();
    byId('dns-zone-lines').textContent = '';
    setChecked(byId('verify-checked'), '', null);
    renderDomain();
    byId('domain-view').hidden = false;
    refresher.reset();
    const status = domain.status;
    const loads = [loadDNSRecords(), loadCertificate()];
    if (status === 'verified') {
      loads.push(loadPolicy(), loadMXCheck(), loadTLSRPT(), loadChecks(), loadPresets(), loadMXChange());
    }
    if (status !== 'pending_verification') loads.push(loadHistory());
    await Promise.all(loads);
  }

  /** Everything that depends only on the domain object (and its setup). */
  function renderDomain() {
    const domain = state.domain;
    if (!domain) return;
    const status = domain.status;
    byId('verify-panel').hidden = status !== 'pending_verification';
    byId('offboarding-panel').hidden = status !== 'offboarding';
    byId('setup-panel').hidden = status === 'offboarding';
    byId('policy-panel').hidden = status !== 'verified';
    byId('tlsrpt-panel').hidden = status !== 'verified';
    byId('history-panel').hidden = status === 'pending_verification' || state.history.length === 0;
    byId('delete-panel').hidden = status === 'offboarding';
    byId('certificate-panel').hidden = status === 'pending_verification';
    byId('checks-panel').hidden = status !== 'verified';
    byId('mx-change-panel').hidden = status !== 'verified';
    renderDomainHeader();
    renderSetup();
    renderSTSRecord();
    if (status === 'pending_verification') renderVerification();
    if (status === 'offboarding') renderOffboarding();
    byId('dns-heading').textContent = status === 'offboarding'
      ? `DNS records to keep until ${formatDay(setupOf(domain).until || domain.serve_until)}` : 'DNS records to publish';
    byId('dns-intro').textContent = status === 'offboarding'
      ? 'Leave these as they are until then; each one is still looked up live.'
      : 'Add these at your DNS provider. Each one is looked up live, again every few seconds while something is missing.';
    orderPanels();
  }

  /** Puts the panels in the order of what needs doing: DNS records first until they are complete. */
  function orderPanels() {
    const domain = state.domain;
    const ids = (() => {
      const unused = ['checks-panel', 'mx-change-panel'];
      if (domain.status === 'offboarding') {
        return ['offboarding-panel', 'dns-panel', 'certificate-panel', 'history-panel', 'setup-panel', 'verify-panel',
          'sts-record-panel', 'policy-panel', 'tlsrpt-panel', 'delete-panel', ...unused];
      }
      if (domain.status === 'pending_verification') {
        return ['setup-panel', 'verify-panel', 'dns-panel', 'certificate-panel', 'delete-panel', 'offboarding-panel',
          'sts-record-panel', 'policy-panel', 'tlsrpt-panel', 'history-panel', ...unused];
      }
      const steps = setupOf(domain).steps || [];
      const dnsDone = ['policy_host', 'sts_record'].every((name) => {
        const step = steps.find((entry) => entry.step === name);
        return !step || step.status === 'done';
      });
      const dns = ['dns-panel', 'sts-record-panel'];
      const rest = ['policy-panel', 'mx-change-panel', 'tlsrpt-panel'];
      // Once the records are in, what the checks find comes right after the checklist.
      return dnsDone
        ? ['setup-panel', 'checks-panel', ...rest, 'certificate-panel', ...dns, 'history-panel', 'delete-panel',
          'offboarding-panel', 'verify-panel']
        : ['setup-panel', ...dns, 'certificate-panel', 'checks-panel', ...rest, 'history-panel', 'delete-panel',
          'offboarding-panel', 'verify-panel'];
    })();
    const container = byId('domain-panels');
    const current = [...container.children].map((node) => node.id);
    if (current.join() === ids.join()) return;
    const active = document.activeElement;
    container.append(...ids.map(byId));
    if (active && container.contains(active) && document.activeElement !== active) active.focus();
  }

  function renderDomainHeader() {
    const domain = state.domain;
    const title = domain.unicode_name && domain.unicode_name !== domain.name
      ? `${domain.unicode_name} (${domain.name})` : domain.name;
    byId('domain-heading').textContent = title;
    const setup = setupOf(domain);
    const badge = byId('domain-status');
    badge.dataset.state = setup.state;
    badge.className = 'badge state';
    badge.textContent = stateWords(setup, domain);
    renderHeaderCheck();
    renderModeLabel();
    const next = byId('next-step');
    const nextStep = (setup.steps || []).find((step) => step.title === setup.next_step);
    if (setup.next_step && domain.status !== 'offboarding') {
      const key = `${nextWord(setup)}|${setup.next_step}`;
      if (next.dataset.key !== key) {
        next.dataset.key = key;
        const show = el('button', { type: 'button', className: 'link', text: 'Show me',
          dataset: { focusKey: 'next-step-show' } });
        show.addEventListener('click', () => goToStep(nextStep ? nextStep.step : null));
        replaceKeepingFocus(next, [el('strong', { text: `${nextWord(setup)}: ` }), humanDates(setup.next_step), ' ', show]);
      }
      next.hidden = false;
    } else {
      next.dataset.key = '';
      next.replaceChildren();
      next.hidden = true;
    }
    renderRefreshed();
  }

  /** Beside the state badge: the last check's badge and when, a button that goes to the Checks panel. */
  function renderHeaderCheck() {
    const domain = state.domain;
    const node = byId('domain-check');
    const summary = domain.status === 'verified' ? domain.check : null;
    const key = summary ? `${summary.checked_at}|${summary.errors}|${summary.warnings}` : '';
    if (node.dataset.key === key) return;
    node.dataset.key = key;
    if (!summary) { node.replaceChildren(); return; }
    const go = el('button', { type: 'button', className: 'link check-when', dataset: { focusKey: 'header-check' } },
      'last check ', agoNode(summary.checked_at));
    go.addEventListener('click', () => goToStep('checks'));
    replaceKeepingFocus(node, [checkBadge(summary), ' ', go]);
  }

  // MARK: - The checklist

  /** Beside the state badge: the mode (unless the badge says it, as "Live · testing"), when it was added, verified. */
  function renderModeLabel() {
    const domain = state.domain;
    const live = setupOf(domain).state.startsWith('live');
    const meta = [];
    if (state.policy && domain.status === 'verified' && !live) meta.push(`mode ${state.policy.mode}`);
    meta.push(`added ${formatDay(domain.created_at)}`);
    if (domain.verified_at) meta.push(`verified ${formatDay(domain.verified_at)}`);
    byId('domain-meta').textContent = meta.join(' · ');
  }

  const STEP_STATUS_WORDS = { done: 'done', action_needed: 'your turn', waiting: 'waiting', optional: 'optional' };
  const STEP_ICONS = { done: '✓', action_needed: '!', waiting: '…', optional: '○' };

  /**
   * What the page's own live DNS lookup adds to a step the platform still counts as to do: the record may be
   * there already, and the platform's next check (or, for the CNAME, verification) takes it into account.
   */
  function liveNote(step) {
    if (step.status !== 'action_needed' || !state.dnsRecords) return null;
    const prefix = { policy_host: 'mta-sts.', sts_record: '_mta-sts.' }[step.step];
    if (!prefix) return null;
    const record = state.dnsRecords.records.find((entry) => entry.name === `${prefix}${state.domain.name}`);
    if (!record || record.status !== 'found') return null;
    return state.domain.status === 'pending_verification'
      ? 'The live lookup below already finds this record; the platform counts it once the domain is verified.'
      : 'The live lookup below already finds this record; the platform confirms it on its next check, within seconds.';
  }

  function renderSetup() {
    const setup = setupOf(state.domain);
    const steps = Array.isArray(setup.steps) ? setup.steps : [];
    const notes = steps.map(liveNote);
    const items = steps.map((step, index) => {
      const status = STEP_STATUS_WORDS[step.status] ? step.status : 'waiting';
      const body = el('div', { className: 'step-body' },
        el('p', { className: 'step-title' }, el('span', { text: humanDates(step.title || step.step) }), ' ',
          el('span', { className: 'badge', dataset: { status }, text: STEP_STATUS_WORDS[status] })),
        step.detail ? el('p', { className: 'step-detail', text: humanDates(step.detail) }) : null,
        notes[index] ? el('p', { className: 'step-note', text: notes[index] }) : null);
      if (step.checked_at) body.append(el('p', { className: 'step-checked muted' }, 'Checked ', agoNode(step.checked_at), '.'));
      if (status === 'action_needed' && stepTarget(step.step)) {
        const show = el('button', { type: 'button', className: 'link', text: 'Show me where',
          'aria-label': `Show me where: ${humanDates(step.title || step.step)}`, dataset: { focusKey: `step-${step.step}` } });
        show.addEventListener('click', () => goToStep(step.step));
        body.append(show);
      }
      return el('li', { className: 'step', dataset: { step: step.step, status } },
        el('span', { className: 'step-icon', 'aria-hidden': 'true', text: STEP_ICONS[status] }), body);
    });
    const list = byId('setup-steps');
    const key = JSON.stringify(steps) + setup.state + notes.join() + byId('verify-panel').hidden;
    if (list.dataset.key === key) return;
    list.dataset.key = key;
    replaceKeepingFocus(list, items);
  }

  /** The element a step's "Show me where" scrolls to. */
  function stepTarget(step) {
    const name = state.domain && state.domain.name;
    const record = (prefix) => document.querySelector(`#dns-records li[data-record-name="${CSS.escape(prefix + name)}"]`);
    switch (step) {
      case 'ownership': return byId('verify-panel').hidden ? null : byId('verify-panel');
      case 'policy_host': return record('mta-sts.') || byId('dns-panel');
      case 'sts_record': return record('_mta-sts.') || byId('dns-panel');
      case 'tlsrpt': return byId('tlsrpt-panel').hidden ? record('_smtp._tls.') : byId('tlsrpt-panel');
      case 'certificate': case 'policy_reachable': return byId('certificate-panel');
      case 'policy_mode': return byId('policy-panel').hidden ? null : byId('policy-panel');
      case 'checks': return byId('checks-panel').hidden ? null : byId('checks-panel');
      default: return null;
    }
  }

  function goToStep(step) {
    const target = stepTarget(step) || byId('setup-panel');
    target.scrollIntoView({ block: 'start' });
    const heading = target.matches('section') ? target.querySelector('h2') : null;
    focusElement(heading || target);
  }

  /** Reads the domain (and its setup) again; a status change re-opens the page in its new shape. */
  async function refreshDomain() {
    const name = state.domain && state.domain.name;
    const epoch = state.epoch;
    if (!name) return;
    let data;
    try {
      ({ data } = await api('GET', domainPath(name)));
    } catch (error) {
      if (error.status === 404 && epoch === state.epoch) {
        leaveDomain();
        navigate('#/');
        window.setTimeout(() => announce(`${name} has been removed from your account.`), 0);
      }
      return;
    }
    if (epoch !== state.epoch || !state.domain) return;
    const statusChanged = data.status !== state.domain.status;
    // The verify request's answer is dropped once this reopens the domain, so the news is told here too.
    const verified = state.domain.status === 'pending_verification' && data.status === 'verified';
    const checkedAt = (summary) => (summary ? summary.checked_at : null);
    const newCheck = checkedAt(data.check) !== checkedAt(state.domain.check);
    state.domain = data;
    state.checked.domain = new Date();
    if (statusChanged) {
      const hadFocus = byId('domain-view').contains(document.activeElement);
      await openDomain(name);
      if (verified && epoch + 1 === state.epoch) sayVerified(name);
      if (hadFocus) focusElement(byId('domain-heading'));
      return;
    }
    renderDomain();
    if (newCheck) await loadChecks();
  }

  // MARK: - Offboarding

  function renderOffboarding() {
    const domain = state.domain;
    const setup = setupOf(domain);
    const until = setup.until || domain.serve_until;
    const sts = state.dnsRecords && state.dnsRecords.records.find((record) => record.name === `_mta-sts.${domain.name}`);
    const edge = state.dnsRecords && state.dnsRecords.records.find((record) => record.name === `mta-sts.${domain.name}`);
    const stsLine = !sts
      ? `your _mta-sts.${domain.name} record, as listed under DNS records below.`
      : sts.published_as === 'cname'
        ? `your _mta-sts.${domain.name} CNAME into the platform's zone: it already announces the mode none policy.`
        : `your _mta-sts.${domain.name} TXT record, announcing the current id: ${sts.value} (update it if it still shows ` +
          'an older id, so senders fetch the mode none policy).';
    // A domain offboarded because the platform lost sight of the tenant's control says why (its ownership step).
    const lost = (setup.steps || []).find((step) => step.step === 'ownership' && step.status === 'action_needed');
    const text = byId('offboarding-text');
    const key = `${until}|${stsLine}|${edge ? edge.value : ''}|${lost ? lost.detail : ''}`;
    if (text.dataset.key === key) return;
    text.dataset.key = key;
    text.replaceChildren(
      lost ? el('p', { className: 'offboarding-reason' }, el('strong', { text: `${humanDates(lost.title)}. ` }),
        humanDates(lost.detail)) : null,
      el('p', { className: 'offboarding-lead' }, `${domain.name} is being removed. Until `,
        el('strong', { text: formatDate(until, 'long') }),
        ', the platform serves a policy with mode none, so that sending servers drop the policy they cached ' +
        '(RFC 8461 §8.3). After that date the domain leaves your account and its DNS records can go.'),
      el('p', { text: 'Until then, keep these DNS records as they are:' }),
      el('ul', {},
        el('li', { text: `the CNAME mta-sts.${domain.name} → ${edge ? edge.value : 'the platform'};` }),
        el('li', { text: stsLine })));
  }

  // MARK: - Verification

  function renderVerification() {
    const record = state.domain.verification || {};
    byId('verify-name').textContent = record.name || `_mtasts-verify.${state.domain.name}`;
    byId('verify-value').textContent = record.value || '';
    byId('verify-relative').textContent = `In the zone ${state.domain.name}, the name is ` +
      `${relativeName(record.name || `_mtasts-verify.${state.domain.name}`)}.`;
  }

  /** What a failed lookup found, in words (verification-failed: `found`). */
  function lookupWords(found, name) {
    if (!found) return 'The lookup gave no answer.';
    switch (found.result) {
      case 'nxdomain': return `${name} does not exist in DNS yet.`;
      case 'no_data': return `${name} exists but has no TXT record yet.`;
      case 'answer': {
        const values = Array.isArray(found.values) ? found.values : [];
        return values.length ? `${name} holds ${values.length === 1 ? 'another value' : 'other values'}: ` +
          values.map((value) => `“${value}”`).join(', ') + '.' : `${name} has no matching value.`;
      }
      case 'timeout': return 'The DNS lookup timed out; your DNS servers did not answer in time.';
      case 'server_failure': return 'Your DNS servers answered with an error (SERVFAIL).';
      case 'network_error': return 'The platform could not reach a DNS server.';
      default: return found.detail || 'The lookup failed.';
    }
  }

  /** Says that `name` is now verified, for whichever of the verify request and the refresher sees it first. */
  function sayVerified(name, mode) {
    sayForAWhile(byId('domain-live'), `${name} is verified. Its first policy${mode ? ` (mode ${mode})` : ''} ` +
      'is published; the checklist shows what is next.');
  }

  /** Verifies now (the button) or quietly (the refresher): a failure says what was found, beside the button. */
  async function verifyDomain({ automatic = false } = {}) {
    const domain = state.domain;
    if (!domain || domain.status !== 'pending_verification') return;
    const epoch = state.epoch;
    const result = byId('verify-result');
    const button = byId('verify-button');
    const name = domain.name;
    const work = async () => {
      try {
        const { data } = await api('POST', `${domainPath(name)}/verify`, { lookup: automatic ? 'skip' : 'wait' });
        if (epoch !== state.epoch) return;
        const hadFocus = byId('verify-panel').contains(document.activeElement) || !automatic;
        state.preloaded = data.domain;
        await openDomain(name);
        sayVerified(name, data.policy ? data.policy.mode : 'none');
        loadAccount();
        if (hadFocus) focusElement(byId('setup-heading'));
      } catch (error) {
        if (epoch !== state.epoch || error.status === SKIPPED) return;
        state.checked.verify = new Date();
        const recordName = (domain.verification && domain.verification.name) || `_mtasts-verify.${name}`;
        let summary;
        let lines;
        if (error.kind === 'verification-failed') {
          summary = 'not found yet';
          lines = [lookupWords(error.problem.found, recordName),
            'DNS changes can take a few minutes to appear; this page keeps looking every few seconds.'];
        } else if (error.kind === 'domain-verified-elsewhere') {
          summary = 'verified by another account';
          lines = [`Another account has verified ${name}. It can be added here once that account removes it.`];
        } else {
          const [title, detail] = genericProblem(error);
          summary = 'the check failed';
          lines = [title, detail];
        }
        setChecked(byId('verify-checked'), 'Checked ', state.checked.verify, `: ${summary}.`);
        if (!automatic || !result.hidden) {
          showMessage(result, error.kind === 'verification-failed' ? 'Not found yet.' : lines.shift(), ...lines);
          if (!automatic) focusElement(result);
        }
      }
    };
    if (automatic) await work();
    else await busy(button, work);
  }

  // MARK: - Drift of the tenant's own _mta-sts record

  /** Plain words for `sts_record.status`: the badge and the sentence beside it. */
  const STS_RECORD_WORDS = {
    current: ['up to date', 'Your _mta-sts record announces the current policy id.'],
    delegated: ['delegated', 'Your _mta-sts record is a CNAME to the platform: every new id is announced for you.'],
    stale: ['old id', 'Your _mta-sts record announces an old id: senders keep the old policy until it expires.'],
    missing: ['missing', 'There is no _mta-sts record: senders do not know that this domain has a policy.'],
    multiple: ['several records', 'There are several MTA-STS records at _mta-sts: senders ignore them all.'],
    invalid: ['invalid', 'Your _mta-sts record is not a valid MTA-STS record: senders ignore it.'],
    unknown: ['lookup failed', 'The last lookup of your _mta-sts record failed: it is checked again soon.'],
  };

  function renderSTSRecord() {
    const domain = state.domain;
    const panel = byId('sts-record-panel');
    panel.hidden = !domain || domain.status !== 'verified';
    if (panel.hidden) return;
    const check = domain.sts_record;
    const badge = byId('sts-record-status');
    if (!check) {
      badge.dataset.status = 'not_checked';
      badge.textContent = 'not checked yet';
      byId('sts-record-summary').textContent = 'The platform has not looked at your _mta-sts record yet: it does ' +
        'so shortly after every policy change.';
      byId('sts-record-detail').textContent = '';
      byId('sts-record-checked').textContent = '';
      panel.dataset.status = 'null';
      return;
    }
    const [label, sentence] = STS_RECORD_WORDS[check.status] ||
      [String(check.status), 'The platform looked at your _mta-sts record.'];
    panel.dataset.status = check.status;
    badge.dataset.status = check.status;
    badge.textContent = label;
    byId('sts-record-summary').textContent = sentence;
    byId('sts-record-detail').textContent = check.detail || '';
    const node = byId('sts-record-checked');
    const live = state.dnsRecords && state.dnsRecords.records.find((record) => record.name === `_mta-sts.${domain.name}`);
    const settled = check.status === 'current' || check.status === 'delegated';
    const suffix = !settled && live && live.status === 'found'
      ? '. The live lookup under DNS records finds the record right now; the next check will confirm it.' : '.';
    setChecked(node, 'Checked ', check.checked_at, suffix);
  }

  // MARK: - DNS records

  /** `name` relative to the domain's zone: `_mta-sts` for `_mta-sts.example.com` in example.com. */
  function relativeName(name) {
    const zone = state.domain ? state.domain.name : '';
    if (name === zone) return '@';
    return name.endsWith(`.${zone}`) ? name.slice(0, -(zone.length + 1)) : name;
  }

  async function loadDNSRecords({ background = false } = {}) {
    const domain = state.domain;
    if (!domain) return;
    const epoch = state.epoch;
    const list = byId('dns-records');
    list.setAttribute('aria-busy', 'true');
    try {
      const { data } = await api('GET', `${domainPath(domain.name)}/dns-records`,
        { lookup: background ? 'skip' : 'wait' });
      if (epoch !== state.epoch) return;
      state.dnsRecords = data;
      state.checked.dns = new Date();
      renderDNSRecords();
      settlePendingID();
      renderDomain();
      if (state.policy) renderPolicyStatus();
    } catch (error) {
      if (epoch === state.epoch && error.status !== 401 && !state.dnsRecords) {
        list.replaceChildren(el('li', { text: 'The records could not be looked up; this page tries again in a moment.' }));
      }
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  function renderDNSRecords() {
    const records = state.dnsRecords ? state.dnsRecords.records : [];
    const list = byId('dns-records');
    const key = JSON.stringify(records) + (pendingPolicyID() || '');
    if (list.dataset.key !== key) {
      list.dataset.key = key;
      replaceKeepingFocus(list, records.map(renderRecord));
      byId('dns-zone-lines').textContent = zoneLines(records);
    }
    setChecked(byId('dns-checked'), 'Checked ', state.checked.dns);
  }

  /** "found", "missing", … in words. */
  const RECORD_STATUS_LABELS = { found: 'found', missing: 'missing', wrong: 'wrong value', unknown: 'lookup failed' };

  /** The name, its host-relative form, and copy buttons. */
  function nameFields(record) {
    const relative = relativeName(record.name);
    return [el('dt', { text: 'Name' }), el('dd', {}, el('code', { className: 'value', text: record.name }), ' ',
      copyButton(record.name, 'record name', { key: `name-${record.name}` }),
      el('span', { className: 'hint block' }, `In the zone ${state.domain.name}, enter `,
        el('code', { className: 'relative', text: relative }), relative === '@' ? ' (the zone itself).' : '.'))];
  }

  function foundNode(record, prefix) {
    if (!record.found || record.status === 'found') return null;
    const values = Array.isArray(record.found.values) ? record.found.values : [];
    const words = record.status === 'missing' ? 'Nothing is published at this name yet.'
      : record.status === 'unknown' ? 'The lookup failed; it is tried again in a moment.'
        : `${prefix}:`;
    return el('div', { className: 'found' }, el('p', { text: words }),
      values.length && record.status === 'wrong'
        ? el('ul', {}, ...values.map((value) => el('li', {}, el('code', { className: 'value', text: value })))) : null);
  }

  function renderRecord(record) {
    if (record.delegation) return renderDelegatedRecord(record);
    const item = el('li', { dataset: { recordName: record.name, recordType: record.type, status: record.status } },
      el('div', { className: 'record-head' }, el('strong', { text: record.type }), ' ',
        el('span', { className: 'badge', dataset: { status: record.status },
          text: RECORD_STATUS_LABELS[record.status] || record.status })),
      el('dl', { className: 'record-fields' }, ...nameFields(record),
        el('dt', { text: 'Value' }), el('dd', {}, el('code', { className: 'value', text: record.value }), ' ',
          copyButton(record.value, `${record.type} record value`, { key: `value-${record.name}` }))),
      el('p', { className: 'muted', text: record.purpose || '' }));
    const found = foundNode(record, 'Found instead');
    if (found) item.append(found);
    return item;
  }

  /** The id a save published that the tenant's TXT does not announce yet (sessionStorage, per domain). */
  function pendingPolicyID() {
    return state.domain ? sessionStorage.getItem(PENDING_KEY + state.domain.name) : null;
  }

  /** Clears the "DNS update pending" mark once the DNS list finds the new id or the record is delegated. */
  function settlePendingID() {
    const id = pendingPolicyID();
    if (!id || !state.dnsRecords) return;
    const sts = state.dnsRecords.records.find((record) => record.name === `_mta-sts.${state.domain.name}`);
    if (!sts) return;
    const settled = sts.published_as === 'cname' || (sts.status === 'found' && sts.value.endsWith(`id=${id}`)) ||
      !sts.value.endsWith(`id=${id}`);
    if (settled) {
      sessionStorage.removeItem(PENDING_KEY + state.domain.name);
      if (state.dnsRecords) byId('dns-records').dataset.key = '';
      renderDNSRecords();
    }
  }

  function pendingBadge() {
    return el('span', { className: 'badge pending-update', dataset: { status: 'pending' }, text: 'DNS update pending' });
  }

  /**
   * A record the tenant may publish either as a CNAME into the platform's zone (recommended: the platform keeps
   * it current) or as the TXT itself; says which one is published.
   */
  function renderDelegatedRecord(record) {
    const delegation = record.delegation;
    const publishedAs = record.published_as || null;
    const isSTS = record.name.startsWith('_mta-sts.');
    const head = el('div', { className: 'record-head' }, el('strong', { text: `${delegation.type} or ${record.type}` }), ' ',
      el('span', { className: 'badge', dataset: { status: record.status },
        text: RECORD_STATUS_LABELS[record.status] || record.status }));
    if (publishedAs) {
      head.append(' ', el('span', { className: 'badge published-as', dataset: { status: 'found' },
        text: `published as ${publishedAs.toUpperCase()}` }));
    }
    if (isSTS && pendingPolicyID()) head.append(' ', pendingBadge());
    const optionBadge = (published) => el('span', { className: 'badge', dataset: { status: published ? 'found' : 'unknown' },
      text: published ? 'published' : 'not published' });

    const cname = el('div', { className: 'option recommended', dataset: { option: 'cname' } },
      el('p', { className: 'option-head' }, el('strong', { text: `Recommended: ${delegation.type}` }), ' ',
        optionBadge(Boolean(delegation.published))),
      el('p', { text: isSTS
        ? 'Ids rotate by themselves: nothing to update when the policy changes.'
        : 'The platform serves the report addresses you set above: nothing to update when you change them.' }),
      el('dl', { className: 'record-fields' },
        el('dt', { text: 'Type' }), el('dd', {}, el('code', { text: delegation.type })),
        el('dt', { text: 'Value' }), el('dd', {},
          el('code', { className: 'value', dataset: { role: 'delegation-value' }, text: delegation.value }), ' ',
          copyButton(delegation.value, `${delegation.type} record value`, { key: `cname-${record.name}` }))));
    const cnameFound = delegation.found && Array.isArray(delegation.found.values) ? delegation.found.values : [];
    if (!delegation.published && cnameFound.length > 0) {
      cname.append(el('div', { className: 'found' }, el('p', { text: 'A CNAME to somewhere else is published:' }),
        el('ul', {}, ...cnameFound.map((value) => el('li', {}, el('code', { className: 'value', text: value }))))));
    }

    const txt = el('div', { className: 'option', dataset: { option: 'txt' } },
      el('p', { className: 'option-head' }, el('strong', { text: `Alternative: ${record.type}` }), ' ',
        optionBadge(publishedAs === 'txt')),
      el('p', { text: 'If your DNS host cannot CNAME this name.' + (isSTS
        ? ' Publish the new id here each time the policy changes.' : '') }),
      el('dl', { className: 'record-fields' },
        el('dt', { text: 'Type' }), el('dd', {}, el('code', { text: record.type })),
        el('dt', { text: 'Value' }), el('dd', {},
          el('code', { className: 'value', dataset: { role: 'txt-value' }, text: record.value }), ' ',
          copyButton(record.value, `${record.type} record value`, { key: `txt-${record.name}` }))));
    if (publishedAs !== 'cname') {
      const found = foundNode(record, 'Found instead');
      if (found) txt.append(found);
    }

    return el('li', { className: 'delegated', dataset: { recordName: record.name, recordType: record.type,
      status: record.status, publishedAs: publishedAs || 'none' } },
      head,
      el('dl', { className: 'record-fields' }, ...nameFields(record)),
      el('p', { className: 'muted', text: record.purpose || '' }),
      cname, txt);
  }

  /** Every record as a zone-file line (the recommended CNAME where there is one, the TXT as a comment). */
  function zoneLines(records) {
    const quote = (value) => `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    const fqdn = (name) => (name.endsWith('.') ? name : `${name}.`);
    const line = (name, type, value) => `${fqdn(name)}\t3600\tIN\t${type}\t${type === 'TXT' ? quote(value) : fqdn(value)}`;
    const lines = [`; DNS records for ${state.domain.name} (MTA-STS hosting)`];
    for (const record of records) {
      if (record.delegation) {
        lines.push(line(record.name, record.delegation.type, record.delegation.value));
        lines.push(`; or, if your DNS host cannot CNAME this name: ${line(record.name, record.type, record.value)}`);
      } else {
        if (record.name.startsWith('_smtp._tls.')) lines.push('; optional: where senders send TLS reports (RFC 8460)');
        lines.push(line(record.name, record.type, record.value));
      }
    }
    return `${lines.join('\n')}\n`;
  }

  async function checkDNSAgain() {
    const status = byId('dns-status');
    status.textContent = '';
    await busy(byId('dns-refresh'), () => Promise.all([loadDNSRecords(), refreshDomain()]));
    const records = state.dnsRecords ? state.dnsRecords.records : [];
    const required = records.filter((record) => !record.name.startsWith('_smtp._tls.'));
    const found = required.filter((record) => record.status === 'found').length;
    say(status, records.length === 0 ? 'The records could not be looked up; try again in a moment.'
      : `Checked just now: ${found} of ${plural(required.length, 'required record', 'required records')} found.`);
  }

  // MARK: - Certificate

  /** Badge words and a sentence per certificate status (docs/openapi.yaml CertificateState). */
  function certificateWords(data) {
    const host = data.host;
    switch (data.status) {
      case 'not_started': return ['not requested yet', `The platform requests a certificate for ${host} once the ` +
        'domain is verified and the host points to the platform.'];
      case 'waiting_for_cname': return ['waiting for the CNAME', `The platform requests the certificate as soon as ` +
        `${host} is a CNAME to the platform (see DNS records).`];
      case 'ordering': return ['being issued', 'The certificate authority is checking the host name; this usually ' +
        'takes under a minute.'];
      case 'issued': return ['valid', `Senders fetch your policy from https://${host}/ with this certificate; the ` +
        'platform renews it by itself.'];
      case 'renewing': return ['renewing', 'A new certificate is being issued; the current one is served until then.'];
      case 'failed': return ['problem', 'The last attempt failed. The platform tries again by itself; the reason is below.'];
      case 'caa_forbidden': return ['blocked by CAA', 'A CAA record on your domain does not allow the platform\'s ' +
        'certificate authority. Add one for it, or remove the CAA record.'];
      case 'stopped': return ['stopped', 'The domain is no longer served, so the certificate is not renewed.'];
      default: return [String(data.status).replace(/_/g, ' '), ''];
    }
  }

  async function loadCertificate() {
    const domain = state.domain;
    if (!domain) return;
    const epoch = state.epoch;
    try {
      const { data } = await api('GET', `${domainPath(domain.name)}/certificate`);
      if (epoch !== state.epoch) return;
      const changed = JSON.stringify(data) !== JSON.stringify(state.certificate);
      state.certificate = data;
      state.checked.certificate = new Date();
      if (changed) renderCertificate();
      setChecked(byId('certificate-checked'), 'Checked ', state.checked.certificate);
    } catch (error) {
      if (epoch === state.epoch && error.status !== 401 && !state.certificate) {
        byId('certificate-summary').textContent = 'The certificate state could not be read; this page tries again.';
      }
    }
  }

  function renderCertificate() {
    const data = state.certificate;
    const [label, sentence] = certificateWords(data);
    byId('certificate-summary').replaceChildren(
      el('span', { className: 'badge', dataset: { status: data.status }, text: label }), ' ', sentence);
    const rows = [['Host', data.host]];
    if (data.not_after) rows.push(['Valid until', formatDate(data.not_after, 'long')]);
    if (data.renew_after) rows.push(['Renews from', formatDate(data.renew_after, 'long')]);
    if (data.issuer) rows.push(['Issuer', data.issuer]);
    if (data.last_error) {
      const label = data.status === 'waiting_for_cname' ? 'Waiting for' : data.status === 'caa_forbidden' ? 'Reason'
        : 'Last error';
      let text = data.last_error;
      if (data.status === 'waiting_for_cname') text = text.replace(/^waiting for CNAME: /, '');
      rows.push([label, `${text} (${formatDate(data.last_error_at)})`]);
    }
    byId('certificate').replaceChildren(...rows.flatMap(([term, value]) =>
      [el('dt', { text: term }), el('dd', { text: value })]));
  }

  // MARK: - Checks: the worker's reports, a short history, and "Check now"

  async function loadChecks() {
    const domain = state.domain;
    if (!domain || domain.status !== 'verified') return;
    const epoch = state.epoch;
    try {
      const { data } = await api('GET', `${domainPath(domain.name)}/checks?limit=5`);
      if (epoch !== state.epoch) return;
      state.checks = Array.isArray(data.checks) ? data.checks : [];
      renderChecks();
    } catch (error) {
      if (epoch === state.epoch && error.status !== 401 && !state.checks) {
        byId('checks-latest').replaceChildren(el('p', { className: 'muted', text: 'The checks could not be ' +
          'loaded; this page tries again in a moment.' }));
      }
    }
  }

  /** The newest report (the tenant's own "Check now" while it is newer than the worker's), then the history. */
  function renderChecks() {
    const stored = state.checks || [];
    const latest = stored[0] || null;
    const own = state.checkNow;
    const showOwn = own && (!latest || parseDate(own.checked_at) >= parseDate(latest.checked_at));
    const shown = showOwn ? own : latest;
    const container = byId('checks-latest');
    const key = shown ? `${showOwn ? 'own' : 'worker'}|${shown.checked_at}|${JSON.stringify(shown.findings)}` : 'none';
    if (container.dataset.key !== key) {
      container.dataset.key = key;
      const who = showOwn ? { who: 'You checked', source: 'own' } : { who: 'The platform checked', source: 'worker' };
      replaceKeepingFocus(container, [shown ? reportNode(shown, who)
        : el('p', { className: 'muted', text: `The platform has not checked ${state.domain.name} yet; it does ` +
          'within a minute of verification and shows the result here.' })]);
    }
    const history = byId('checks-history');
    const historyKey = stored.map((report) => `${report.checked_at}|${countWords(report.summary || {})}`).join();
    if (history.dataset.key === historyKey) return;
    history.dataset.key = historyKey;
    history.replaceChildren(...stored.map((report) => el('li', { dataset: { checkedAt: report.checked_at } },
      checkBadge(report.summary || {}), ' ',
      el('span', { text: `${formatDate(report.checked_at)} · ${countWords(report.summary || {})}` }))));
    byId('checks-history-heading').hidden = stored.length === 0;
  }

  /** Runs the check now, signed in (the report then compares with what the platform serves); shown in place. */
  async function checkNow() {
    const domain = state.domain;
    if (!domain) return;
    const epoch = state.epoch;
    const status = byId('check-now-status');
    const problemBox = byId('check-now-problem');
    hideProblem(problemBox);
    say(status, `Checking ${domain.name}: this can take up to half a minute.`);
    await busy(byId('check-now'), async () => {
      try {
        const { data } = await api('POST', '/v1/checks', { body: { domain: domain.name } });
        if (epoch !== state.epoch) return;
        state.checkNow = data;
        renderChecks();
        say(status, `Checked just now: ${countWords(data.summary)}. The result is shown below.`);
      } catch (error) {
        if (epoch !== state.epoch) return;
        status.textContent = '';
        const [title, ...lines] = checkProblemWords(error);
        showMessage(problemBox, title, ...lines);
        focusElement(problemBox);
      }
    });
  }

  // MARK: - Policy editor

  async function loadPolicy() {
    const domain = state.domain;
    const epoch = state.epoch;
    try {
      const { data, etag } = await api('GET', `${domainPath(domain.name)}/policy`);
      if (epoch !== state.epoch) return;
      state.policy = data;
      state.etag = etag || (data.id ? `"${data.id}"` : null);
      renderPolicy();
      renderDomain();
      await loadReadiness();
    } catch (error) {
      if (epoch === state.epoch && error.status !== 401) showGenericProblem(byId('policy-result'), error, { focus: false });
    }
  }

  const PRESETS = ['86400', '604800', '2592000', '31536000'];

  /** Fills the form from the saved policy (discarding edits). */
  function renderPolicy() {
    const policy = state.policy;
    const form = byId('policy-form');
    clearFieldErrors(form);
    for (const radio of form.querySelectorAll('input[name="mode"]')) radio.checked = radio.value === policy.mode;
    form.elements.mx.value = (policy.mx || []).join('\n');
    setMaxAge(policy.max_age);
    state.refusal = null;
    form.elements.force.checked = false;
    byId('policy-text').textContent = policy.text || '';
    byId('policy-preset').value = '';
    byId('policy-preset-note').textContent = '';
    renderRemoveChoices();
    renderPolicyStatus();
    renderDraft();
  }

  function setMaxAge(seconds) {
    const form = byId('policy-form');
    const value = String(seconds);
    const preset = PRESETS.includes(value) ? value : 'custom';
    for (const radio of form.querySelectorAll('input[name="max_age_preset"]')) radio.checked = radio.value === preset;
    const days = Number(seconds) / DAY;
    const field = byId('policy-max-age-days');
    field.value = Number.isInteger(days) ? String(days) : String(Math.round(days * 100) / 100);
    field.dataset.seconds = value; // the exact value, kept while the days shown are not edited
    field.dataset.shown = field.value;
    byId('max-age-custom-field').hidden = preset !== 'custom';
  }

  function renderPolicyStatus() {
    const policy = state.policy;
    if (!policy) return;
    const node = byId('policy-current');
    const parts = [`In force: mode ${policy.mode} · ${(policy.mx || []).length ? `mx ${policy.mx.join(', ')}` : 'no mx'} · ` +
      `kept ${formatDuration(policy.max_age)} · id ${policy.id} · since ${formatDate(policy.updated_at)}`];
    const pending = pendingPolicyID();
    node.replaceChildren(parts[0], pending ? ' ' : '', pending ? pendingBadge() : '');
    renderModeLabel();
  }

  /** The form's values: mode, the non-empty MX lines (with line numbers), max_age in seconds (or NaN). */
  function readDraft() {
    const form = byId('policy-form');
    const checked = form.querySelector('input[name="mode"]:checked');
    const lines = form.elements.mx.value.split('\n').map((text, index) => ({ text: text.trim(), line: index + 1 }))
      .filter((entry) => entry.text.length > 0);
    const preset = form.querySelector('input[name="max_age_preset"]:checked');
    let maxAge = NaN;
    let maxAgeText = '';
    if (preset && preset.value !== 'custom') {
      maxAge = Number(preset.value);
    } else {
      const field = byId('policy-max-age-days');
      maxAgeText = field.value.trim();
      if (field.dataset.seconds && maxAgeText === field.dataset.shown) maxAge = Number(field.dataset.seconds);
      else if (/^\d+(\.\d+)?$/.test(maxAgeText)) maxAge = Math.round(Number(maxAgeText) * DAY);
    }
    return { mode: checked ? checked.value : null, lines, maxAge, maxAgeText };
  }

  const normalHost = (text) => String(text).trim().toLowerCase().replace(/\.$/, '');

  /** A name as A-labels (the browser's IDNA), lower-case, without the trailing dot; null when it is not a name. */
  function aLabels(text) {
    const name = normalHost(text);
    if (!name) return null;
    try {
      return new URL(`http://${name}/`).hostname;
    } catch (error) {
      return null;
    }
  }

  /**
   * Whether MX host `host` matches `pattern` the way the server does (RFC 8461 §4.1): case-insensitive, one
   * trailing dot ignored, `*.suffix` stands for exactly one more label in front of suffix; literal otherwise.
   */
  function patternMatches(pattern, host) {
    const candidate = aLabels(host);
    if (!candidate) return false;
    const text = normalHost(pattern);
    if (text.startsWith('*.')) {
      const suffix = aLabels(text.slice(2));
      if (!suffix) return false;
      const labels = candidate.split('.');
      return labels.length === suffix.split('.').length + 1 && labels.slice(1).join('.') === suffix;
    }
    return aLabels(text) === candidate;
  }

  function draftKey(draft) {
    return `${draft.mode}|${draft.lines.map((entry) => normalHost(entry.text)).join(',')}`;
  }

  function isDirty(draft) {
    const policy = state.policy;
    if (!policy) return false;
    const saved = (policy.mx || []).map(normalHost).join(',');
    return draft.mode !== policy.mode || draft.lines.map((entry) => normalHost(entry.text)).join(',') !== saved ||
      draft.maxAge !== policy.max_age;
  }

  /** Everything that follows the draft as the tenant types: coverage, the force option, "unsaved changes". */
  function renderDraft() {
    const draft = readDraft();
    byId('policy-dirty').hidden = !isDirty(draft);
    renderCoverage(draft);
    const refusal = state.refusal;
    const show = Boolean(refusal && refusal.key === draftKey(draft));
    const field = byId('policy-force-field');
    if (!show) byId('policy-force').checked = false;
    field.hidden = !show;
    // Enforce before the reports say it is safe: the verdict and an explicit button instead of the checkbox.
    const verdict = show && refusal.kind === 'enforce-not-ready';
    byId('policy-force-choice').hidden = verdict;
    byId('policy-enforce-anyway-actions').hidden = !verdict;
    byId('policy-force-verdict').hidden = !verdict;
    if (show && !verdict) byId('policy-force-label').textContent = refusal.label;
    if (verdict) renderForceVerdict(refusal.readiness);
  }

  /** What stands between the draft and enforce (409 enforce-not-ready), above the "Enforce anyway" button. */
  function renderForceVerdict(readiness) {
    const node = byId('policy-force-verdict');
    const missing = readinessSteps(readiness);
    const key = [state.domain.name, ...missing].join('|');
    if (node.dataset.key === key && node.childElementCount > 0) return;
    node.dataset.key = key;
    node.replaceChildren(
      el('p', { className: 'problem-title', text: 'Not switched to enforce: the TLS reports do not show that it is ' +
        'safe yet.' }),
      el('ul', { id: 'policy-force-missing', className: 'missing' },
        ...missing.map((sentence) => el('li', { text: sentence }))),
      el('p', {}, 'Under enforce, senders that cannot deliver over TLS as the policy requires keep your mail ' +
        'queued and then bounce it. Wait until the reports are clean, or enforce anyway. ',
      el('a', { href: reportsHash(state.domain.name), text: 'Read the TLS reports' }), '.'));
  }

  /** Whether the TLS reports say a testing policy may go to enforce (…/reports/summary), for the policy panel. */
  async function loadReadiness() {
    const domain = state.domain;
    const epoch = state.epoch;
    if (!domain || !state.policy || state.policy.mode !== 'testing') {
      state.readiness = null;
      renderReadiness();
      return;
    }
    try {
      const { data } = await api('GET', `${domainPath(domain.name)}/reports/summary?days=30`);
      if (epoch !== state.epoch) return;
      state.readiness = data.enforce_readiness || null;
      renderReadiness();
    } catch (error) {
      // Advice only: the policy editor works without it, and the TLS reports page says what went wrong.
    }
  }

  /** Under the policy in force, while it is testing and the platform holds enforce back until the reports agree. */
  function renderReadiness() {
    const node = byId('policy-readiness');
    const readiness = state.readiness;
    const show = Boolean(readiness && state.policy && state.policy.mode === 'testing' && readiness.required_days > 0);
    node.hidden = !show;
    if (!show) { node.replaceChildren(); return; }
    node.dataset.ready = readiness.ready ? 'true' : 'false';
    const link = el('a', { href: reportsHash(state.domain.name), text: 'Read the TLS reports' });
    if (readiness.ready) {
      node.replaceChildren(el('p', {}, el('span', { className: 'badge', dataset: { status: 'found' },
        text: 'ready for enforce' }), ' ', `The TLS reports cover ${plural(readiness.report_days, 'day', 'days')} ` +
        'since the policy went to testing, with no failure that enforce would turn into undelivered mail. ', link, '.'));
      return;
    }
    node.replaceChildren(
      el('p', {}, el('span', { className: 'badge', dataset: { status: 'pending' }, text: 'not ready for enforce' }),
        ' ', 'Switching to enforce is not safe yet:'),
      el('ul', { className: 'missing' }, ...readinessSteps(readiness).map((sentence) => el('li', { text: sentence }))),
      el('p', {}, link, ' to see what senders found.'));
  }

  /** The readiness's `missing` sentences (the API's words), in the page's dates. */
  function readinessSteps(readiness) {
    return (Array.isArray(readiness.missing) ? readiness.missing : []).map((sentence) => humanDates(sentence));
  }

  function renderCoverage(draft = readDraft()) {
    const container = byId('mx-check');
    const summary = byId('policy-coverage-summary');
    const check = state.mxCheck;
    if (!check) {
      container.replaceChildren();
      summary.textContent = 'Looking up your MX hosts…';
      return;
    }
    const hosts = Array.isArray(check.mx_hosts) ? check.mx_hosts : [];
    const coverage = hosts.map((host) => ({ ...host,
      by: draft.lines.find((entry) => patternMatches(entry.text, host.host)) || null }));
    const uncovered = coverage.filter((host) => !host.by);
    const unused = draft.lines.filter((entry) => !hosts.some((host) => patternMatches(entry.text, host.host)));
    let text;
    let tone = 'ok';
    const lookupFailed = check.lookup && !['answer', 'nxdomain', 'no_data'].includes(check.lookup.result);
    if (lookupFailed) {
      text = 'The MX lookup failed, so coverage cannot be checked right now.';
      tone = 'warn';
    } else if (hosts.length === 0) {
      text = 'No MX hosts were found for this domain: it receives no mail, or the MX records are missing.';
      tone = 'warn';
    } else if (uncovered.length === 0) {
      text = hosts.length === 1 ? 'Your MX host is covered by the list above.'
        : `All ${hosts.length} MX hosts are covered by the list above.`;
    } else {
      const names = listWords(uncovered.map((host) => `${host.host} (preference ${host.preference})`));
      if (draft.mode === 'enforce') {
        text = `Not covered: ${names}. In enforce mode, senders would refuse to deliver mail to ` +
          `${uncovered.length === 1 ? 'it' : 'them'}. Add ${uncovered.length === 1 ? 'it' : 'them'} to the list.`;
        tone = 'bad';
      } else {
        text = `Not covered: ${names}. Senders would report failures for ${uncovered.length === 1 ? 'it' : 'them'}; ` +
          'add it before you switch to enforce.';
        tone = 'warn';
      }
    }
    summary.dataset.tone = tone;
    if (summary.textContent !== text) summary.textContent = text;

    const rows = coverage.map((host) => el('tr', { dataset: { host: host.host, covered: host.by ? 'true' : 'false' } },
      el('td', {}, el('code', { text: host.host })),
      el('td', { text: host.preference }),
      el('td', {}, host.by
        ? el('span', { className: 'badge', dataset: { status: 'found' },
          text: `covered by line ${host.by.line} (${host.by.text})` })
        : el('span', { className: 'badge', dataset: { status: draft.mode === 'enforce' ? 'wrong' : 'pending' },
          text: 'not covered' }))));
    const parts = [];
    if (hosts.length > 0) {
      parts.push(el('table', { className: 'mx-table' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', className: 'col-host', text: 'MX host' }),
          el('th', { scope: 'col', className: 'col-preference', text: 'Pref.', title: 'Preference', 'aria-label': 'Preference' }),
          el('th', { scope: 'col', className: 'col-policy', text: 'In your list' }))),
        el('tbody', {}, ...rows)));
    }
    if (unused.length > 0 && hosts.length > 0) {
      parts.push(el('p', { className: 'muted', text: `${unused.length === 1 ? 'Line' : 'Lines'} ` +
        `${listWords(unused.map((entry) => `${entry.line} (${entry.text})`))} match${unused.length === 1 ? 'es' : ''} no ` +
        'MX host right now (fine for a server you are about to add).' }));
    }
    container.replaceChildren(...parts);
    setChecked(byId('mx-checked'), 'Checked ', state.checked.mx);
  }

  async function loadMXCheck({ background = false } = {}) {
    const domain = state.domain;
    if (!domain) return;
    const epoch = state.epoch;
    try {
      const { data } = await api('GET', `${domainPath(domain.name)}/mx-check`, { lookup: background ? 'skip' : 'wait' });
      if (epoch !== state.epoch) return;
      state.mxCheck = data;
      state.checked.mx = new Date();
      renderCoverage();
    } catch (error) {
      if (epoch === state.epoch && error.status !== 401 && !state.mxCheck) {
        byId('policy-coverage-summary').textContent = 'Your MX hosts could not be looked up; this page tries again.';
      }
    }
  }

  /** Words for a policy field error: MX problems by line number and text, never `mx[0]`. */
  function policyWords(item, lines) {
    const match = /^mx\[(\d+)\]$/.exec(String(item.field || ''));
    if (match) {
      const entry = lines[Number(match[1])];
      const where = entry ? `Line ${entry.line}` : 'One line';
      const text = entry ? entry.text : '';
      const words = domainNameWords(item.rule, text, { role: 'mx' });
      if (words) return `${where}: ${words}`;
      if (item.rule === 'length') return `${where} is empty or too long (at most 255 characters).`;
      return `${where} (“${text}”) is not a host name or pattern such as mx1.example.com or *.example.com.`;
    }
    if (item.field === 'mx') {
      switch (item.rule) {
        case 'required': return 'List at least one mail server: testing and enforce need one. (To switch MTA-STS ' +
          'off, choose none.)';
        case 'duplicate': {
          const pattern = (/pattern (\S+) is listed/.exec(item.message || '') || [])[1];
          const same = pattern ? lines.filter((entry) => normalHost(entry.text) === normalHost(pattern)) : [];
          return same.length > 1
            ? `Lines ${listWords(same.map((entry) => String(entry.line)))} say the same thing (${pattern}): keep one.`
            : 'The same mail server is listed twice: keep one line.';
        }
        case 'max_items': return 'At most 64 lines: use a pattern such as *.example.com for many hosts.';
        default: return null;
      }
    }
    if (item.field === 'max_age') {
      if (item.rule === 'range') return 'Choose between 1 day and 1 year.';
      return 'Choose how long senders keep the policy.';
    }
    if (item.field === 'mode') return 'Choose testing, enforce or none.';
    return commonWords(item);
  }

  async function savePolicy(event) {
    event.preventDefault();
    await submitPolicyDraft();
  }

  /** "Enforce anyway" after 409 enforce-not-ready: the same draft again, with "force": true. */
  async function enforceAnyway() {
    byId('policy-force').checked = true;
    try {
      await submitPolicyDraft({ button: byId('policy-enforce-anyway') });
    } finally {
      // Only this button forces: a later "Save policy" after another refusal must not.
      byId('policy-force').checked = false;
    }
    // The button is gone once saved: keep the keyboard in the form.
    if (!document.activeElement || document.activeElement === document.body) focusElement(byId('policy-save'));
  }

  /** Sends the editor's draft, with "force": true while the override the API offered is chosen. */
  async function submitPolicyDraft({ button = byId('policy-save') } = {}) {
    const form = byId('policy-form');
    const result = byId('policy-result');
    const status = byId('policy-status');
    hideProblem(result);
    clearFieldErrors(form);
    status.textContent = '';
    const draft = readDraft();
    if (!Number.isFinite(draft.maxAge) || draft.maxAge < 0 || draft.maxAge > MAX_AGE_LIMIT) {
      setFieldError(byId('policy-max-age'), draft.maxAgeText
        ? `“${draft.maxAgeText}” is not a number of days between 1 and 365.` : 'Enter a number of days between 1 and 365.');
      focusElement(byId('policy-max-age-days'));
      return;
    }
    const body = { mode: draft.mode, mx: draft.lines.map((entry) => entry.text), max_age: draft.maxAge };
    const force = byId('policy-force').checked && !byId('policy-force-field').hidden;
    if (force) body.force = true;
    await putPolicy(body, { lines: draft.lines, draft, button });
  }

  /**
   * Sends a policy (the editor's or a restored version's). Success speaks in the status line beside the
   * buttons; a refusal beside the field it is about.
   */
  async function putPolicy(body, { lines, draft, button, restoredFrom = null }) {
    const status = byId('policy-status');
    const headers = state.etag ? { 'If-Match': state.etag } : {};
    const epoch = state.epoch;
    const controls = [button, byId('policy-save'), byId('policy-reload'), byId('policy-enforce-anyway')];
    await busy([...new Set(controls)], async () => {
      try {
        const { data, etag } = await api('PUT', `${domainPath(state.domain.name)}/policy`,
          { body, headers, lookup: 'wait' });
        if (epoch !== state.epoch) return;
        state.policy = data;
        state.etag = etag || `"${data.id}"`;
        const delegated = stsDelegated();
        if (data.changed && !delegated) sessionStorage.setItem(PENDING_KEY + state.domain.name, data.id);
        renderPolicy();
        if (data.mx_check) { state.mxCheck = data.mx_check; state.checked.mx = new Date(); renderCoverage(); }
        const saved = restoredFrom ? `Restored version ${restoredFrom}: it is in force as id ${data.id}.`
          : `Saved: new id ${data.id}.`;
        const message = !data.changed ? 'No change: the policy already said exactly this.'
          : delegated ? `${saved} Your _mta-sts CNAME points into the platform's zone, so senders learn the new id by ` +
            'themselves.'
            : `${saved} Publish the new id in your _mta-sts TXT record (DNS records) so senders fetch it.`;
        say(status, message);
        if (restoredFrom) say(byId('history-status'), message);
        await Promise.all([loadDNSRecords(), loadHistory(), refreshDomain(), loadReadiness()]);
      } catch (error) {
        if (epoch !== state.epoch) return;
        handlePolicyError(error, { body, lines, draft, restoredFrom });
      }
    });
  }

  function handlePolicyError(error, { body, lines, draft, restoredFrom }) {
    const form = byId('policy-form');
    const result = byId('policy-result');
    const problem = error.problem || {};
    const overridable = ['mx-not-covered', 'mx-check-failed', 'enforce-not-ready'].includes(error.kind);
    if (restoredFrom && overridable) {
      // Put the refused version in the editor, where the save-anyway option lives.
      for (const radio of form.querySelectorAll('input[name="mode"]')) radio.checked = radio.value === body.mode;
      form.elements.mx.value = body.mx.join('\n');
      setMaxAge(body.max_age);
      draft = readDraft();
      lines = draft.lines;
      say(byId('history-status'), `Version ${restoredFrom} was not restored: see the policy form above.`);
    }
    if (error.kind === 'enforce-not-ready') {
      // Testing → enforce before the TLS reports show it is safe: the verdict, and "Enforce anyway" to override.
      const readiness = problem.enforce_readiness && typeof problem.enforce_readiness === 'object'
        ? problem.enforce_readiness : { missing: [problem.detail || 'The TLS reports do not show it is safe yet.'] };
      state.readiness = readiness;
      renderReadiness();
      state.refusal = { key: draftKey(draft), kind: error.kind, readiness };
      renderDraft();
      focusElement(byId('policy-force-verdict'));
      return;
    }
    if (error.kind === 'mx-not-covered' || error.kind === 'mx-check-failed') {
      if (problem.mx_check) { state.mxCheck = problem.mx_check; state.checked.mx = new Date(); }
      const hosts = problem.mx_check && Array.isArray(problem.mx_check.mx_hosts) ? problem.mx_check.mx_hosts : [];
      const uncoveredNames = problem.mx_check && Array.isArray(problem.mx_check.uncovered_hosts)
        ? problem.mx_check.uncovered_hosts : hosts.filter((host) => !host.covered_by).map((host) => host.host);
      const described = uncoveredNames.map((name) => {
        const host = hosts.find((entry) => entry.host === name);
        return host ? `${name} (preference ${host.preference})` : name;
      });
      const label = error.kind === 'mx-not-covered'
        ? `Save anyway: mail to ${listWords(described)} would be rejected`
        : 'Save anyway without the check: the platform could not look up your MX hosts';
      state.refusal = { key: draftKey(draft), kind: error.kind, label };
      renderDraft();
      const sentence = error.kind === 'mx-not-covered'
        ? `Not saved: ${listWords(described)} ${described.length === 1 ? 'is' : 'are'} not in the list. In enforce ` +
          `mode, senders would refuse to deliver mail to ${described.length === 1 ? 'it' : 'them'}. Add ` +
          `${described.length === 1 ? 'it' : 'them'} above, or tick “save anyway” below.`
        : `Not saved: the MX lookup failed, so the platform cannot tell whether every mail server is listed. Try ` +
          'again, or tick “save anyway” below.';
      setFieldError(byId('policy-mx'), sentence);
      focusElement(byId('policy-mx'));
      return;
    }
    if (error.status === 412) {
      const reload = el('button', { type: 'button', className: 'secondary', text: 'Load the current policy' });
      reload.addEventListener('click', () => reloadPolicy());
      showMessage(result, 'Changed elsewhere: nothing was saved.', 'The policy was changed elsewhere since you loaded ' +
        'it (another tab or an API client). Load the current version, then make your change again.', reload);
      focusElement(result);
      return;
    }
    const errors = Array.isArray(problem.errors) ? problem.errors : [];
    if (error.status === 422 && errors.length > 0) {
      const first = showFieldErrors(form, errors, (item) => policyWords(item, lines));
      if (first) { focusField(first); return; }
    }
    showGenericProblem(result, error);
  }

  /** Whether the last DNS check found `_mta-sts.<domain>` delegated to the platform's zone. */
  function stsDelegated() {
    const records = state.dnsRecords ? state.dnsRecords.records : [];
    return records.some((record) => record.name.startsWith('_mta-sts.') && record.published_as === 'cname');
  }

  async function reloadPolicy() {
    hideProblem(byId('policy-result'));
    byId('policy-status').textContent = '';
    await Promise.all([loadPolicy(), loadMXCheck(), loadHistory()]);
    say(byId('policy-status'), 'Showing the policy in force.');
    focusElement(byId('policy-mode-' + (state.policy ? state.policy.mode : 'testing')));
  }

  // MARK: - Mail provider presets (GET …/mx-presets): suggestions for the policy editor and the MX change

  async function loadPresets() {
    const domain = state.domain;
    if (!domain || domain.status !== 'verified') return;
    const epoch = state.epoch;
    try {
      const { data } = await api('GET', `${domainPath(domain.name)}/mx-presets`, { lookup: 'wait' });
      if (epoch !== state.epoch) return;
      state.mxPresets = data;
    } catch (error) {
      if (epoch !== state.epoch) return;
      state.mxPresets = { presets: [], mx_hosts: [], failed: true };
    }
    renderPresets();
  }

  /** Fills both provider lists, keeping what is chosen; a preset that matches the live MX says so. */
  function renderPresets() {
    const data = state.mxPresets;
    const presets = data && Array.isArray(data.presets) ? data.presets : [];
    const first = !data ? 'Looking up suggestions…'
      : data.failed ? 'No suggestions right now (the lookup failed)' : 'Choose one to fill in its servers…';
    for (const id of ['policy-preset', 'mx-change-preset']) {
      const select = byId(id);
      const chosen = select.value;
      select.replaceChildren(el('option', { value: '', text: first }), ...presets.map((preset) => el('option',
        { value: preset.id, text: preset.covers_live_mx ? `${preset.name} (matches your MX records now)` : preset.name })));
      select.value = presets.some((preset) => preset.id === chosen) ? chosen : '';
      select.disabled = presets.length === 0;
    }
  }

  /**
   * What a chosen preset means: its note, and whether its servers cover the live MX hosts. `moving` is the MX
   * change form, where not covering the current hosts is expected.
   */
  function presetWords(preset, { moving }) {
    const hosts = state.mxPresets && Array.isArray(state.mxPresets.mx_hosts) ? state.mxPresets.mx_hosts : [];
    const uncovered = Array.isArray(preset.uncovered_hosts) ? preset.uncovered_hosts : [];
    const lines = [`${preset.name}: ${preset.note}`];
    if (preset.patterns.length === 0) {
      lines.push('No suggestion for your domain yet: these names are taken from your MX records once they point to ' +
        'this provider. Type the servers from the provider\'s instructions.');
    } else if (hosts.length === 0) {
      lines.push('Your domain has no MX hosts right now, so these cannot be checked against them.');
    } else if (preset.covers_live_mx) {
      lines.push(hosts.length === 1 ? 'They cover your MX host right now.' : `They cover all ${hosts.length} of your ` +
        'MX hosts right now.');
    } else {
      lines.push(`They do not cover ${listWords(uncovered)}, which your MX records name right now` + (moving
        ? ': expected while you move, the old servers stay in the policy until you switch.'
        : '. In enforce mode senders would refuse to deliver there; to move to this provider, use Change mail ' +
          'provider below.'));
    }
    return lines.join(' ');
  }

  /** The policy editor's provider list: fills the MX lines (still editable); coverage follows as you type. */
  function choosePolicyPreset() {
    const preset = presetByID(byId('policy-preset').value);
    const note = byId('policy-preset-note');
    if (!preset) { note.textContent = ''; return; }
    if (preset.patterns.length > 0) {
      const field = byId('policy-mx');
      field.value = preset.patterns.join('\n');
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }
    say(note, presetWords(preset, { moving: false }));
  }

  function presetByID(id) {
    const presets = state.mxPresets && Array.isArray(state.mxPresets.presets) ? state.mxPresets.presets : [];
    return presets.find((preset) => preset.id === id) || null;
  }

  // MARK: - Changing mail provider (the MX-change plan, …/mx-change)

  const PLAN_STATES = {
    waiting: ['waiting for senders', 'waiting'],
    ready: ['your turn: switch the MX records', 'action_needed'],
    completed: ['done', 'done'],
    cancelled: ['cancelled', 'optional'],
  };
  const PLAN_STEP_STATUS = { done: ['done', 'done', '✓'], current: ['now', 'waiting', '…'],
    pending: ['later', 'optional', '○'], skipped: ['skipped', 'optional', '–'] };

  const isActivePlan = (plan) => Boolean(plan) && (plan.state === 'waiting' || plan.state === 'ready');

  /** How long senders keep the policy while the plan runs: the shorter of the two. */
  const planMaxAge = (plan) => Math.min(Number(plan.original_max_age), Number(plan.temporary_max_age));

  async function loadMXChange() {
    const domain = state.domain;
    if (!domain || domain.status !== 'verified') return;
    const epoch = state.epoch;
    let plan = null;
    try {
      ({ data: plan } = await api('GET', `${domainPath(domain.name)}/mx-change`));
    } catch (error) {
      if (error.status !== 404) return; // 404: no change ever started
    }
    if (epoch !== state.epoch) return;
    const before = state.mxChange;
    state.mxChange = plan;
    state.checked.mxChange = new Date();
    renderMXChange();
    // The plan publishes policies itself when it finishes: show the one in force.
    if (before && plan && isActivePlan(before) && plan.state === 'completed') {
      await Promise.all([loadPolicy(), loadHistory(), loadDNSRecords({ background: true })]);
    }
  }

  /** A step in the tenant's words: what happens, and when it did or will. */
  function planStepWords(step, plan) {
    const name = state.domain.name;
    const added = listWords(plan.add || []) || 'the new servers';
    const safeAt = parseDate(plan.safe_at);
    switch (step.step) {
      case 'publish_new_patterns':
        return ['Add the new servers to the policy', `The policy lists ${added} too, and senders keep it for ` +
          `${formatDuration(planMaxAge(plan))}.`];
      case 'wait_for_caches':
        return ['Wait until senders forget older policies', step.status === 'done'
          ? 'No sender still holds a policy without the new servers.'
          : safeAt && safeAt > new Date()
            ? `Until ${formatDate(safeAt)} some senders may still hold an older policy without the new servers.`
            : 'Older policies have expired from senders\' memory; the platform confirms it on its next look.'];
      case 'switch_mx_records':
        return ['Switch your MX records to the new provider', step.status === 'done'
          ? 'The platform saw your MX records on the new servers.'
          : step.status === 'current'
            ? `Point the MX records of ${name} to the new servers (${added}) now; the platform watches them and ` +
              'goes on by itself.'
            : `Point the MX records of ${name} to the new servers (${added}) once you are told to; the platform ` +
              'watches them.'];
      case 'remove_old_patterns': {
        const removed = plan.remove && plan.remove.length ? `${listWords(plan.remove)} leave the policy, and ` : '';
        return ['Remove the old servers', `${removed}senders keep the policy for ` +
          `${formatDuration(plan.original_max_age)} again.`];
      }
      default: return [String(step.step).replace(/_/g, ' '), humanDates(step.detail)];
    }
  }

  /**
   * The step's status as shown: a step the plan never reached because it was cancelled is skipped, even when the
   * API counts the wait as over (it says done for a wait cut short).
   */
  function planStepStatus(step, plan) {
    const cutShort = parseDate(step.at) > parseDate(plan.finished_at);
    if (plan.state === 'cancelled' && step.step === 'wait_for_caches' && cutShort) {
      return 'skipped';
    }
    return PLAN_STEP_STATUS[step.status] ? step.status : 'pending';
  }

  /** The next step in words, from the plan's state and times. */
  function planNextWords(plan) {
    const name = state.domain.name;
    const safeAt = parseDate(plan.safe_at);
    switch (plan.state) {
      case 'waiting':
        return safeAt && safeAt > new Date()
          ? `Keep the MX records of ${name} as they are until ${formatDate(safeAt)}. You will be told when to switch.`
          : `Keep the MX records of ${name} as they are for now: senders' older policies have expired, and the ` +
            'platform tells you to switch once it has confirmed it.';
      case 'ready': return `Point the MX records of ${name} to the new servers (${listWords(plan.add || [])}) now. ` +
        'The platform watches them and finishes the change by itself.';
      case 'completed': return `Done on ${formatDate(plan.finished_at)}: the policy lists the new servers only.`;
      case 'cancelled': return `Cancelled on ${formatDate(plan.finished_at)}. The policy stays as it is now: it still ` +
        `lists ${listWords(plan.add || [])}. Edit it in the policy form above if you want it back as it was.`;
      default: return humanDates(plan.next_step);
    }
  }

  function renderMXChange() {
    const plan = state.mxChange;
    const active = isActivePlan(plan);
    byId('mx-change-plan').hidden = !plan;
    byId('mx-change-form').hidden = active;
    byId('mx-change-cancel').hidden = !active;
    byId('mx-change-form-heading').textContent = plan ? 'Start another change' : 'Start a change';
    renderRemoveChoices();
    if (!plan) return;
    const [label, tone] = PLAN_STATES[plan.state] || [String(plan.state), 'waiting'];
    const badge = byId('mx-change-state');
    badge.dataset.status = tone;
    badge.textContent = label;
    byId('mx-change-plan').dataset.state = plan.state;
    byId('mx-change-started').textContent = `Started ${formatDate(plan.created_at)}: to ${listWords(plan.add || [])}` +
      (plan.remove && plan.remove.length ? `, from ${listWords(plan.remove)}.` : '.');
    const next = byId('mx-change-next');
    next.replaceChildren(el('strong', { text: active ? 'Next: ' : 'Result: ' }), planNextWords(plan));
    const steps = Array.isArray(plan.steps) ? plan.steps : [];
    const items = steps.map((step) => {
      const status = planStepStatus(step, plan);
      const tenantsTurn = status === 'current' && step.step === 'switch_mx_records';
      const [word, tone, icon] = tenantsTurn ? ['your turn', 'action_needed', '!'] : PLAN_STEP_STATUS[status];
      const [title, detail] = status === 'skipped' ? [planStepWords(step, plan)[0], 'Not reached: the change was ' +
        'cancelled.'] : planStepWords(step, plan);
      const when = step.at && status === 'done' ? ['Done ', agoNode(step.at), '.'] : null;
      return el('li', { className: 'step', dataset: { step: step.step, status: tone, planStatus: status } },
        el('span', { className: 'step-icon', 'aria-hidden': 'true', text: icon }),
        el('div', { className: 'step-body' },
          el('p', { className: 'step-title' }, el('span', { text: title }), ' ',
            el('span', { className: 'badge', dataset: { status: tone }, text: word })),
          el('p', { className: 'step-detail', text: detail }),
          when ? el('p', { className: 'step-checked muted' }, ...when) : null));
    });
    const list = byId('mx-change-steps');
    const key = JSON.stringify(plan) + (parseDate(plan.safe_at) > new Date());
    if (list.dataset.key !== key) {
      list.dataset.key = key;
      replaceKeepingFocus(list, items);
    }
    byId('mx-change-observed').textContent = Array.isArray(plan.observed_mx) && active
      ? `Your MX records as the platform last saw them (${formatDate(plan.observed_at)}): ` +
        `${plan.observed_mx.join(', ') || 'none'}.` : '';
    setChecked(byId('mx-change-checked'), active ? 'Updated ' : '', active ? state.checked.mxChange : null,
      active ? ' · this page looks again by itself while the change runs.' : '.');
  }

  /** One checkbox per server of the policy in force, all ticked: usually the whole old provider goes. */
  function renderRemoveChoices() {
    const container = byId('mx-change-remove-list');
    const mx = state.policy && Array.isArray(state.policy.mx) ? state.policy.mx : [];
    const key = mx.join(',');
    if (container.dataset.key === key) return;
    container.dataset.key = key;
    container.replaceChildren(...mx.map((pattern, index) => el('div', { className: 'choice' },
      el('input', { type: 'checkbox', id: `mx-change-remove-${index}`, name: 'remove', value: pattern, checked: '' }),
      el('label', { for: `mx-change-remove-${index}` }, el('code', { text: pattern })))));
    if (mx.length === 0) container.replaceChildren(el('p', { className: 'muted', text: 'The policy lists no servers.' }));
  }

  function chooseMovePreset() {
    const preset = presetByID(byId('mx-change-preset').value);
    const note = byId('mx-change-preset-note');
    if (!preset) { note.textContent = ''; return; }
    const current = new Set((state.policy ? state.policy.mx : []).map(normalHost));
    const fresh = preset.patterns.filter((pattern) => !current.has(normalHost(pattern)));
    if (fresh.length > 0) {
      const field = byId('mx-change-add');
      field.value = fresh.join('\n');
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }
    const already = preset.patterns.length > 0 && fresh.length === 0
      ? ' Your policy lists all of them already: this is not a move.' : '';
    say(note, presetWords(preset, { moving: true }) + already);
  }

  /** Words for the MX-change form's field errors: lines by number, never `add[0]`. */
  function mxChangeWords(item, lines, removed) {
    const match = /^(add|remove)\[(\d+)\]$/.exec(String(item.field || ''));
    if (match && match[1] === 'add') {
      const entry = lines[Number(match[2])];
      const where = entry ? `Line ${entry.line} (“${entry.text}”)` : 'One line';
      if (item.rule === 'already_in_policy') return 'One of these servers is already in your policy: leave it out ' +
        '(it stays).';
      return `${where} is not a host name or pattern such as mx1.example.net or *.example.net.`;
    }
    if (match) return `${removed[Number(match[2])] || 'A server'} is no longer in your policy: reload the page.`;
    switch (`${item.field}|${item.rule}`) {
      case 'add|min_items': return 'Name the new provider\'s servers, one per line.';
      case 'add|max_items': return 'At most 20 lines: use a pattern such as *.example.net for many hosts.';
      case 'remove|keeps_none': return 'The policy would list no server at all: name the new provider\'s servers above.';
      case 'remove|max_items': return 'At most 20 servers can go at once.';
      case 'temporary_max_age|range': return 'Choose between 5 minutes and 1 week.';
      default: return commonWords(item);
    }
  }

  async function startMXChange(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const problemBox = byId('mx-change-problem');
    const status = byId('mx-change-status');
    hideProblem(problemBox);
    clearFieldErrors(form);
    status.textContent = '';
    const lines = form.elements.add.value.split('\n').map((text, index) => ({ text: text.trim(), line: index + 1 }))
      .filter((entry) => entry.text.length > 0);
    const current = new Set((state.policy ? state.policy.mx : []).map(normalHost));
    const listed = lines.filter((entry) => current.has(normalHost(entry.text)));
    if (listed.length > 0) {
      setFieldError(byId('mx-change-add'), listed.map((entry) => `Line ${entry.line}: ${entry.text} is already in ` +
        'your policy. Leave it out: it stays.'));
      focusElement(byId('mx-change-add'));
      return;
    }
    const removed = [...form.querySelectorAll('input[name="remove"]:checked')].map((input) => input.value);
    const maxAge = form.querySelector('input[name="temporary_max_age"]:checked');
    const body = { add: lines.map((entry) => entry.text), remove: removed,
      temporary_max_age: Number(maxAge ? maxAge.value : 86400) };
    const epoch = state.epoch;
    const name = state.domain.name;
    await busy(byId('mx-change-start'), async () => {
      try {
        const { data } = await api('POST', `${domainPath(name)}/mx-change`, { body });
        if (epoch !== state.epoch) return;
        state.mxChange = data;
        state.checked.mxChange = new Date();
        form.reset();
        byId('mx-change-preset-note').textContent = '';
        await loadPolicy();
        if (epoch !== state.epoch) return;
        if (!stsDelegated() && state.policy) sessionStorage.setItem(PENDING_KEY + name, state.policy.id);
        renderMXChange();
        say(status, `Started: the policy now lists ${listWords(data.add)} too, and senders keep it for ` +
          `${formatDuration(planMaxAge(data))}.` + (stsDelegated() ? '' : ' Publish its new id in your _mta-sts ' +
          'TXT record (DNS records).'));
        focusElement(byId('mx-change-next'));
        await Promise.all([loadDNSRecords(), loadHistory(), refreshDomain()]);
      } catch (error) {
        if (epoch !== state.epoch) return;
        const errors = error.problem && Array.isArray(error.problem.errors) ? error.problem.errors : [];
        if (error.status === 422 && errors.length > 0) {
          const first = showFieldErrors(form, errors, (item) => mxChangeWords(item, lines, removed));
          if (first) { focusField(first); return; }
        }
        if (error.kind === 'mx-change-in-progress') {
          await loadMXChange();
          showMessage(problemBox, 'A change is already under way.', 'It was started in another window or by a ' +
            'script: it is shown above. Cancel it first to start another one.');
          focusElement(problemBox);
          return;
        }
        showGenericProblem(problemBox, error);
      }
    });
  }

  async function cancelMXChange() {
    const plan = state.mxChange;
    if (!isActivePlan(plan)) return;
    const button = byId('mx-change-cancel');
    const yes = await confirmAction({
      title: 'Cancel the change of mail provider?',
      lines: [`The policy stays as it is now: it keeps listing ${listWords(plan.add || [])}, and senders keep it for ` +
        `${formatDuration(planMaxAge(plan))}.`, 'Edit it in the policy form afterwards if you want it back as it was.'],
      confirm: 'Cancel the change',
      cancel: 'Keep it running',
      danger: true,
      returnFocus: button,
    });
    if (!yes) return;
    const epoch = state.epoch;
    const status = byId('mx-change-status');
    await busy(button, async () => {
      try {
        const { data } = await api('DELETE', `${domainPath(state.domain.name)}/mx-change`);
        if (epoch !== state.epoch) return;
        state.mxChange = data;
        renderMXChange();
        say(status, 'Cancelled. The policy stays as it is now.');
      } catch (error) {
        if (epoch !== state.epoch) return;
        if (error.status !== 404) { showGenericProblem(byId('mx-change-problem'), error); return; }
        await loadMXChange();
        say(status, 'The change had already finished or been cancelled.');
      }
      focusElement(byId('mx-change-next'));
    });
  }

  // MARK: - Policy history

  async function loadHistory() {
    const domain = state.domain;
    const epoch = state.epoch;
    try {
      const { data } = await api('GET', `${domainPath(domain.name)}/policy/history`);
      if (epoch !== state.epoch) return;
      state.history = data.policies || [];
      renderHistory();
    } catch (error) {
      if (epoch === state.epoch && error.status !== 401) {
        byId('history').replaceChildren(el('li', { text: 'The history could not be loaded.' }));
      }
    }
  }

  /** What changed from `before` to `after`, in words. */
  function policyChanges(before, after) {
    if (!before) return ['first policy'];
    const changes = [];
    if (before.mode !== after.mode) changes.push(`mode ${before.mode} → ${after.mode}`);
    const old = new Set((before.mx || []).map(normalHost));
    const now = new Set((after.mx || []).map(normalHost));
    const added = (after.mx || []).filter((mx) => !old.has(normalHost(mx)));
    const removed = (before.mx || []).filter((mx) => !now.has(normalHost(mx)));
    if (added.length) changes.push(`added ${listWords(added)}`);
    if (removed.length) changes.push(`removed ${listWords(removed)}`);
    if (before.max_age !== after.max_age) {
      changes.push(`kept ${formatDuration(before.max_age)} → ${formatDuration(after.max_age)}`);
    }
    return changes.length ? changes : ['same settings, new id'];
  }

  function renderHistory() {
    const entries = state.history.map((entry, index) => ({ entry, changes: policyChanges(state.history[index - 1], entry) }))
      .reverse();
    const offboarding = state.domain && state.domain.status === 'offboarding';
    const items = entries.map(({ entry, changes }) => {
      const item = el('li', { dataset: { policyId: entry.id } },
        el('div', { className: 'record-head' }, el('strong', { text: formatDate(entry.served_from) }), ' ',
          el('span', { className: 'badge', dataset: { status: entry.current ? 'found' : 'unknown' },
            text: entry.current ? 'in force' : 'replaced' })),
        el('p', { className: 'changes', text: changes.join(' · ') }),
        el('p', { className: 'muted', text: `mode ${entry.mode} · mx ${(entry.mx || []).join(', ') || '—'} · kept ` +
          `${formatDuration(entry.max_age)} · id ${entry.id}` +
          (entry.served_until ? ` · replaced ${formatDate(entry.served_until)}` : '') }));
      if (!entry.current && !offboarding) {
        const restore = el('button', { type: 'button', className: 'secondary restore', text: 'Restore this version',
          'aria-label': `Restore the version of ${formatDate(entry.served_from)} (id ${entry.id})`,
          dataset: { focusKey: `restore-${entry.id}` } });
        restore.addEventListener('click', () => restoreVersion(entry, restore));
        item.append(restore);
      }
      return item;
    });
    replaceKeepingFocus(byId('history'), items);
    byId('history-panel').hidden = entries.length === 0 || !state.domain || state.domain.status === 'pending_verification';
  }

  async function restoreVersion(entry, button) {
    const current = state.history.find((item) => item.current);
    const changes = policyChanges(current, entry);
    const yes = await confirmAction({
      title: 'Restore this version?',
      lines: [`The policy becomes: mode ${entry.mode}, mx ${(entry.mx || []).join(', ') || 'none'}, kept ` +
        `${formatDuration(entry.max_age)}.`, `Compared with the policy in force: ${changes.join('; ')}.`,
      'It is published under a new id at once' + (stsDelegated() ? '.' : '; update your _mta-sts TXT record afterwards.')],
      confirm: 'Restore',
      returnFocus: button,
    });
    if (!yes) return;
    const body = { mode: entry.mode, mx: entry.mx || [], max_age: entry.max_age };
    const lines = body.mx.map((text, index) => ({ text, line: index + 1 }));
    const draft = { mode: body.mode, lines, maxAge: body.max_age, maxAgeText: '' };
    await putPolicy(body, { lines, draft, button, restoredFrom: entry.id });
  }

  // MARK: - TLS reports (RFC 8460)

  async function loadTLSRPT() {
    const domain = state.domain;
    const epoch = state.epoch;
    try {
      const { data } = await api('GET', `${domainPath(domain.name)}/tlsrpt`);
      if (epoch !== state.epoch) return;
      state.tlsrpt = data;
      renderTLSRPT({ fillForm: true });
    } catch (error) {
      if (epoch === state.epoch && error.status !== 401) showGenericProblem(byId('tlsrpt-result'), error, { focus: false });
    }
  }

  function renderTLSRPT({ fillForm }) {
    const data = state.tlsrpt;
    const rua = Array.isArray(data.rua) ? data.rua : [];
    const platform = Array.isArray(data.platform_rua) ? data.platform_rua : [];
    // With the platform's addresses, reports already arrive: the form suggests nothing of the tenant's own.
    const suggestion = platform.length === 0 && state.account && state.account.email
      ? `mailto:${state.account.email}` : '';
    const platformNode = byId('tlsrpt-platform');
    if (platform.length === 0) {
      platformNode.replaceChildren();
      platformNode.hidden = true;
    } else {
      platformNode.replaceChildren(
        el('p', { text: `The platform takes the reports for ${data.domain} at ${platform.length === 1
          ? 'this address' : 'these addresses'}, always first in the record to publish:` }),
        el('ul', { id: 'tlsrpt-platform-addresses', className: 'addresses' },
          ...platform.map((uri) => el('li', {}, el('code', { className: 'value', text: uri })))),
        el('p', { className: 'muted', text: 'It reads them for you: they appear under TLS reports, and they decide ' +
          'when a testing policy is safe to enforce. Add addresses of your own below to get the reports too.' }));
      platformNode.hidden = false;
    }
    byId('tlsrpt-rua-label').textContent = platform.length > 0 ? 'Report addresses of your own, one per line'
      : 'Report addresses, one per line';
    byId('tlsrpt-rua-empty').textContent = platform.length > 0
      ? 'Leave it empty to have reports go to the platform only.' : 'Leave it empty to stop reports.';
    const current = byId('tlsrpt-current');
    if (rua.length === 0 && platform.length > 0) {
      current.replaceChildren(el('p', { className: 'muted', text: 'No addresses of your own: reports go to the ' +
        'platform only.' }));
    } else if (rua.length === 0) {
      current.replaceChildren(el('p', { className: 'muted', text: 'No report addresses yet: senders are not told ' +
        'where to send TLS reports.' + (suggestion ? ' The form suggests your account\'s address; nothing is ' +
        'saved until you press Save report addresses.' : '') }));
    } else {
      const own = rua.length === 1 ? 'this address' : `these ${rua.length} addresses`;
      const intro = platform.length > 0 ? `Reports also go to ${own} of your own:`
        : rua.length === 1 ? 'Reports go to:' : `Reports go to these ${rua.length} addresses:`;
      current.replaceChildren(
        el('p', { text: intro }),
        el('ul', { id: 'tlsrpt-addresses', className: 'addresses' },
          ...rua.map((uri) => el('li', {}, el('code', { className: 'value', text: uri })))));
    }
    if (fillForm) {
      const form = byId('tlsrpt-form');
      clearFieldErrors(form);
      form.elements.rua.value = rua.length > 0 ? rua.join('\n') : suggestion;
    }

    const publish = byId('tlsrpt-publish');
    if (!data.record) {
      publish.replaceChildren();
      publish.hidden = true;
      return;
    }
    const name = `_smtp._tls.${data.domain}`;
    const parts = [el('p', { className: 'option-head' }, el('strong', { text: 'To publish at ' }),
      el('code', { className: 'value', text: name }), ' ', copyButton(name, 'TLS-RPT record name'))];
    const fields = el('dl', { className: 'record-fields' });
    if (data.delegation_target) {
      fields.append(el('dt', { text: 'CNAME' }), el('dd', {},
        el('code', { className: 'value', id: 'tlsrpt-target', text: data.delegation_target }), ' ',
        copyButton(data.delegation_target, 'TLS-RPT CNAME value'),
        el('span', { className: 'hint block', text: 'Recommended: the platform\'s zone then follows these ' +
          'addresses by itself.' })));
      fields.append(el('dt', { text: 'or TXT' }));
    } else {
      fields.append(el('dt', { text: 'TXT' }));
    }
    fields.append(el('dd', {}, el('code', { className: 'value', id: 'tlsrpt-record', text: data.record }), ' ',
      copyButton(data.record, 'TLS-RPT TXT value')));
    parts.push(fields);
    publish.replaceChildren(...parts);
    publish.hidden = false;
  }

  /** One sentence for a `rua[i]` error: which line, what is wrong, what to write instead. */
  function tlsrptErrorSentence(item, lines) {
    const match = /^rua\[(\d+)\]$/.exec(String(item.field || ''));
    if (!match) {
      if (item.rule === 'max_items') return 'At most 10 report addresses: remove some lines.';
      return commonWords(item, { what: 'The list of addresses' });
    }
    const entry = lines[Number(match[1])];
    const where = entry ? `Line ${entry.line} (“${entry.text}”)` : 'One line';
    switch (item.rule) {
      case 'tlsrpt_uri': {
        if (entry && !/^[a-z][a-z0-9+.-]*:/i.test(entry.text) && /^[^@\s]+@[^@\s]+$/.test(entry.text)) {
          return `${where} needs mailto: in front: write mailto:${entry.text}.`;
        }
        const reason = /is invalid: (.*?)\.?$/.exec(item.message || '');
        return `${where} is not an address senders can send reports to` + (reason ? `: ${reason[1]}.` : '.') +
          ' Write mailto: and a mailbox, or an https:// address.';
      }
      case 'duplicate': return `${where} is already in the list: remove one of the two.`;
      case 'length': return `${where} is too long: at most 1000 characters.`;
      case 'type': return `${where} is not text.`;
      default: return `${where}: ${item.message || 'not accepted'}`;
    }
  }

  async function saveTLSRPT(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const result = byId('tlsrpt-result');
    const status = byId('tlsrpt-status');
    const field = form.elements.rua;
    hideProblem(result);
    clearFieldErrors(form);
    status.textContent = '';
    const lines = field.value.split('\n').map((text, index) => ({ text: text.trim(), line: index + 1 }))
      .filter((entry) => entry.text.length > 0);
    const epoch = state.epoch;
    await busy(byId('tlsrpt-save'), async () => {
      try {
        const { data } = await api('PUT', `${domainPath(state.domain.name)}/tlsrpt`,
          { body: { rua: lines.map((entry) => entry.text) } });
        if (epoch !== state.epoch) return;
        state.tlsrpt = data;
        renderTLSRPT({ fillForm: true });
        const platform = Array.isArray(data.platform_rua) && data.platform_rua.length > 0;
        const own = data.rua.length === 1 ? 'this address' : `these ${data.rua.length} addresses`;
        let message;
        if (data.rua.length === 0) {
          message = platform ? 'Saved: no addresses of your own, so reports go to the platform only. Publish the ' +
            'record shown below.' : 'Saved: no report addresses, so senders are no longer told where to send TLS reports.';
        } else {
          message = `Saved: TLS reports ${platform ? `also go to ${own} of your own` : `go to ${own}`}. Publish the ` +
            'record shown below.';
        }
        say(status, message);
        await loadDNSRecords();
      } catch (error) {
        if (epoch !== state.epoch) return;
        const errors = error.problem && Array.isArray(error.problem.errors) ? error.problem.errors : [];
        if (error.status !== 422 || errors.length === 0) {
          showGenericProblem(result, error);
          return;
        }
        const message = byId('tlsrpt-rua-error');
        message.replaceChildren(...errors.map((item) => el('span', { className: 'error-line',
          text: tlsrptErrorSentence(item, lines) })));
        message.hidden = false;
        field.setAttribute('aria-invalid', 'true');
        const count = errors.length === 1 ? 'one line needs' : `${errors.length} lines need`;
        showMessage(result, `Nothing was saved: ${count} fixing.`,
          'The addresses in force are still the ones listed above.');
        focusElement(field);
      }
    });
  }

  // MARK: - The TLS reports page (#/domains/<name>/reports, docs/reports.md)

  const REPORT_DAYS = 30; // the period of the summary: the chart, failures and reporters
  const REPORT_PAGE_SIZE = 25;
  // How far back the list reaches: the platform keeps reports 400 days, and one request may span at most 400 days
  // up to the server's tomorrow, so a margin keeps a browser whose clock is a few days off within it.
  const REPORT_HISTORY_DAYS = 390;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const CHANNEL_WORDS = { https: 'by HTTPS', smtp: 'by mail', import: 'imported by the operator' };

  /** Creates an SVG element: attributes as given, `text` with textContent, children appended. */
  function svgEl(tag, attributes = {}, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (value === undefined || value === null) continue;
      if (key === 'text') node.textContent = String(value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  const formatNumber = (value) => new Intl.NumberFormat().format(Number(value) || 0);

  /** Like plural(), with the count formatted ("1,204 sessions"). */
  const pluralCount = (count, one, many) => (Number(count) === 1 ? `1 ${one}` : `${formatNumber(count)} ${many}`);

  /** A UTC calendar day ("2026-11-28") or date-time as a day in words: "Nov 28, 2026". */
  function utcDay(value, { year = true, weekday = false } = {}) {
    const date = parseDate(/^\d{4}-\d\d-\d\d$/.test(String(value)) ? `${value}T00:00:00Z` : value);
    if (!date) return String(value || '—');
    return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', month: 'short', day: 'numeric',
      year: year ? 'numeric' : undefined, weekday: weekday ? 'short' : undefined }).format(date);
  }

  /** A moment in UTC: "Nov 30, 2026, 00:00 UTC" (report periods are UTC days, so local time would mislead). */
  function utcMoment(value) {
    const date = parseDate(value);
    if (!date) return String(value || '—');
    const time = new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit',
      hourCycle: 'h23' }).format(date);
    return `${utcDay(date)}, ${time} UTC`;
  }

  /** A report's period: its UTC days when it starts and ends at midnight (as senders report), else both ends. */
  function reportPeriod(start, end) {
    const from = parseDate(start);
    const to = parseDate(end);
    if (!from || !to) return `${start} – ${end}`;
    const midnight = (date) => date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0;
    if (midnight(from) && midnight(to) && to > from) {
      const last = new Date(to.getTime() - DAY * 1000);
      return last.getTime() === from.getTime() ? `${utcDay(from)} (UTC)` : `${utcDay(from)} – ${utcDay(last)} (UTC)`;
    }
    const format = new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' });
    return `${format.format(from)} – ${format.format(to)} UTC`;
  }

  /**
   * Whether failures of `type` stop delivery once the policy is enforce (docs/reports.md: MTA-STS failures and
   * failed TLS negotiation; DANE's do not count).
   */
  function blocksEnforce(type) {
    const name = String(type).toLowerCase();
    return name.startsWith('sts-') || name.startsWith('certificate-') || name === 'starttls-not-supported' ||
      name === 'validation-failure';
  }

  /** "Nov 29: 1,204 sessions in 3 reports, 1,200 successful and 4 failed." for the summary's totals. */
  function totalsSentence(summary) {
    const totals = summary.totals || {};
    const reports = Number(totals.reports) || 0;
    if (reports === 0) return `No reports in the last ${plural(summary.days, 'day', 'days')}.`;
    const ok = Number(totals.successful_sessions) || 0;
    const failed = Number(totals.failed_sessions) || 0;
    const share = ok + failed > 0 ? new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 })
      .format(failed / (ok + failed)) : null;
    return `${pluralCount(reports, 'report', 'reports')} in the last ${plural(summary.days, 'day', 'days')}: ` +
      `${pluralCount(ok + failed, 'session', 'sessions')}, ${formatNumber(ok)} successful and ${formatNumber(failed)} ` +
      `failed${share ? ` (${share} failed)` : ''}.`;
  }

  function leaveReports() {
    if (!state.reports) return;
    releaseDownload();
    state.reports = null;
    state.epoch += 1;
  }

  /** The list's address: newest first, reaching back as far as reports are kept; `before` continues a page. */
  function reportListPath(name, before = null) {
    const from = new Date(Date.now() - REPORT_HISTORY_DAYS * DAY * 1000).toISOString().slice(0, 10);
    const query = new URLSearchParams({ limit: String(REPORT_PAGE_SIZE), from });
    if (before) query.set('before', before);
    return `${domainPath(name)}/reports?${query}`;
  }

  /** Loads the summary, the first page of reports and the reporting addresses of `name`, then shows the page. */
  async function openReports(name) {
    leaveReports();
    state.epoch += 1;
    const epoch = state.epoch;
    let domain;
    try {
      domain = (await api('GET', domainPath(name))).data;
    } catch (error) {
      if (error.status === 404 || error.status === 422) {
        state.route = { view: 'list' };
        history.replaceState(null, '', '#/');
        byId('list-view').hidden = false;
        await loadDomains();
        announce(`There is no domain ${name} in your account.`);
        return;
      }
      throw error;
    }
    if (epoch !== state.epoch) return;
    const shown = domain.unicode_name || domain.name;
    state.reports = { name: domain.name, domain, summary: null, tlsrpt: null, listings: [], nextBefore: null,
      detail: null, download: null };
    hideProblem(byId('reports-problem'));
    for (const id of ['reports-status', 'reports-more-status']) byId(id).textContent = '';
    for (const id of ['readiness', 'sessions-chart', 'failure-types', 'failure-mx', 'reporters', 'report-list',
      'report-detail-body']) byId(id).replaceChildren();
    byId('report-detail').hidden = true;
    byId('reports-content').hidden = true;
    byId('reports-back').href = domainHash(domain.name);
    byId('reports-back').textContent = `← ${shown}`;
    byId('reports-heading').textContent = `TLS reports for ${shown}`;
    byId('reports-intro').textContent = '';
    byId('reports-view').hidden = false;
    if (domain.status === 'pending_verification') {
      byId('reports-intro').textContent = `${shown} is not verified yet. Senders report on a domain once it serves a ` +
        'policy: verify it first, on the domain\'s page.';
      return;
    }
    say(byId('reports-status'), 'Loading the reports…');
    const path = domainPath(domain.name);
    try {
      const [summary, page, tlsrpt] = await Promise.all([
        api('GET', `${path}/reports/summary?days=${REPORT_DAYS}`),
        api('GET', reportListPath(domain.name)),
        api('GET', `${path}/tlsrpt`).then((response) => response.data, () => null),
      ]);
      if (epoch !== state.epoch) return;
      Object.assign(state.reports, { summary: summary.data, tlsrpt, listings: page.data.reports || [],
        nextBefore: page.data.next_before || null });
    } catch (error) {
      if (epoch !== state.epoch) return;
      byId('reports-status').textContent = '';
      if (error.status !== 401) showGenericProblem(byId('reports-problem'), error, { focus: false });
      return;
    }
    byId('reports-status').textContent = '';
    renderReports();
  }

  function renderReports() {
    const { summary, tlsrpt, domain } = state.reports;
    const platform = tlsrpt && Array.isArray(tlsrpt.platform_rua) ? tlsrpt.platform_rua : [];
    const shown = domain.unicode_name || domain.name;
    const policy = summary.current_policy_id
      ? ` The policy in force is ${summary.mode} (id ${summary.current_policy_id}).` : '';
    byId('reports-intro').textContent = tlsrpt && platform.length === 0
      ? 'This platform takes no TLS reports itself (its operator has set up no reporting addresses), so only ' +
        `reports imported by the operator appear here. Senders send theirs to the addresses you publish.${policy}`
      : `Sending mail servers that support TLS-RPT (RFC 8460) report every day how their TLS connections to the ` +
        `mail servers of ${shown} went, to the platform's reporting addresses. Days are UTC days.${policy}`;
    byId('reports-content').hidden = false;
    renderReportReadiness();
    renderSessionsChart();
    renderFailures();
    renderReporters();
    renderReportList();
  }

  /** While the policy is testing: whether the reports say enforce is safe, or what is missing. */
  function renderReportReadiness() {
    const { summary, name } = state.reports;
    const readiness = summary.enforce_readiness;
    const panel = byId('readiness-panel');
    panel.hidden = !readiness;
    if (!readiness) { byId('readiness').replaceChildren(); return; }
    const policyLink = el('a', { href: `${domainHash(name)}/policy`, text: 'the policy on the domain\'s page' });
    const parts = [];
    if (readiness.ready) {
      parts.push(el('p', {}, el('span', { className: 'badge', dataset: { status: 'found' }, text: 'ready for enforce' }),
        ' ', `The reports cover ${plural(readiness.report_days, 'day', 'days')} since the policy went to testing ` +
        `(${plural(readiness.required_days, 'day', 'days')} needed), with no failure that enforce would turn into ` +
        'undelivered mail, and the latest check found no error. Switch ', policyLink, ' to enforce when you are ready.'));
    } else {
      parts.push(
        el('p', {}, el('span', { className: 'badge', dataset: { status: 'pending' }, text: 'not ready for enforce' }),
          ' ', 'Keep the policy in testing for now:'),
        el('ul', { id: 'readiness-missing', className: 'missing' },
          ...readinessSteps(readiness).map((sentence) => el('li', { text: sentence }))),
        el('p', {}, 'Under enforce, senders keep mail they cannot deliver over TLS as the policy requires, then ' +
          'bounce it. Fix what the failures below point to; you can still switch ', policyLink, ' to enforce anyway.'));
    }
    if (Number(readiness.required_days) === 0) {
      parts.push(el('p', { className: 'muted', text: 'This platform does not hold enforce back until the reports ' +
        'agree: this is advice.' }));
    }
    byId('readiness').replaceChildren(...parts);
  }

  /** A round upper bound for the chart's scale: 1, 2 or 5 times a power of ten. */
  function chartCeiling(value) {
    const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, value)));
    for (const step of [1, 2, 5, 10]) {
      if (step * magnitude >= value) return step * magnitude;
    }
    return 10 * magnitude;
  }

  /**
   * Successful and failed sessions per UTC day as an inline SVG of stacked bars, one group per day, drawn for the
   * width it has (again when the window changes size) so its text stays readable on a phone. Screen readers get
   * its title and the totals, and a table of the same numbers.
   */
  function renderSessionsChart() {
    const container = byId('sessions-chart');
    const summary = state.reports.summary;
    const days = Array.isArray(summary.daily) ? summary.daily : [];
    byId('sessions-totals').textContent = totalsSentence(summary);
    const width = Math.max(260, Math.round(container.clientWidth || 640));
    container.dataset.width = String(width);
    const height = width < 480 ? 170 : 210;
    const top = 10;
    const bottom = 24;
    const values = days.map((day) => ({ date: day.date, ok: Number(day.successful_sessions) || 0,
      failed: Number(day.failed_sessions) || 0, reports: Number(day.reports) || 0 }));
    const scale = chartCeiling(Math.max(2, ...values.map((day) => day.ok + day.failed)));
    const left = 12 + 7 * formatNumber(scale).length;
    const plotWidth = width - left - 6;
    const plotHeight = height - top - bottom;
    const base = top + plotHeight;
    const slot = plotWidth / Math.max(1, values.length);
    const barWidth = Math.max(2, Math.min(22, slot * 0.72));
    const y = (value) => base - (value / scale) * plotHeight;
    const title = `Successful and failed sessions per UTC day, the last ${plural(values.length, 'day', 'days')}`;
    const chart = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', focusable: 'false',
      'aria-labelledby': 'sessions-chart-title sessions-chart-desc', class: 'sessions-chart' },
    svgEl('title', { id: 'sessions-chart-title', text: title }),
    svgEl('desc', { id: 'sessions-chart-desc', text: totalsSentence(summary) }));
    for (const value of [0, scale / 2, scale]) {
      if (!Number.isInteger(value)) continue;
      chart.append(svgEl('line', { class: 'grid', x1: left, x2: width - 4, y1: y(value), y2: y(value) }),
        svgEl('text', { class: 'axis', x: left - 6, y: y(value) + 4, 'text-anchor': 'end', text: formatNumber(value) }));
    }
    values.forEach((day, index) => {
      const x = left + index * slot + (slot - barWidth) / 2;
      // Every non-zero count stays visible however small next to the largest day.
      const okHeight = day.ok > 0 ? Math.max(1.5, (day.ok / scale) * plotHeight) : 0;
      const failedHeight = day.failed > 0 ? Math.max(4, (day.failed / scale) * plotHeight) : 0;
      chart.append(svgEl('g', { class: 'day', 'data-date': day.date, 'data-successful': day.ok,
        'data-failed': day.failed },
      svgEl('title', { text: `${utcDay(day.date, { weekday: true })}: ${formatNumber(day.ok)} successful, ` +
        `${formatNumber(day.failed)} failed (${pluralCount(day.reports, 'report', 'reports')})` }),
      svgEl('rect', { class: 'bar-ok', x, y: base - okHeight, width: barWidth, height: okHeight }),
      svgEl('rect', { class: 'bar-failed', x, y: base - okHeight - failedHeight, width: barWidth,
        height: failedHeight })));
    });
    // Day labels about every 70 px, counted back from the newest day.
    const every = Math.max(1, Math.ceil(values.length / Math.max(1, Math.floor(plotWidth / 70))));
    values.forEach((day, index) => {
      if ((values.length - 1 - index) % every !== 0) return;
      const middle = left + (index + 0.5) * slot;
      const x = Math.min(width - 28, Math.max(left + 24, middle));
      chart.append(svgEl('text', { class: 'axis', x, y: height - 6, 'text-anchor': 'middle',
        text: utcDay(day.date, { year: false }) }));
    });
    const table = el('table', { id: 'sessions-table' },
      el('caption', { text: title }),
      el('thead', {}, el('tr', {}, ...['Day (UTC)', 'Successful sessions', 'Failed sessions', 'Reports']
        .map((text) => el('th', { scope: 'col', text })))),
      el('tbody', {}, ...values.map((day) => el('tr', {}, el('th', { scope: 'row', text: utcDay(day.date) }),
        el('td', { text: formatNumber(day.ok) }), el('td', { text: formatNumber(day.failed) }),
        el('td', { text: formatNumber(day.reports) })))),
      el('tfoot', {}, el('tr', {}, el('th', { scope: 'row', text: 'Total' }),
        el('td', { text: formatNumber(summary.totals ? summary.totals.successful_sessions : 0) }),
        el('td', { text: formatNumber(summary.totals ? summary.totals.failed_sessions : 0) }),
        el('td', { text: formatNumber(summary.totals ? summary.totals.reports : 0) }))));
    // A table is at least as wide as its content: the box around it is what hides it.
    container.replaceChildren(chart, el('div', { id: 'sessions-table-box', className: 'visually-hidden' }, table));
  }

  /** Draws the chart again for a new width (phone turned, window resized). */
  function resizeSessionsChart() {
    if (state.route.view !== 'reports' || !state.reports || !state.reports.summary) return;
    const container = byId('sessions-chart');
    const width = Math.max(260, Math.round(container.clientWidth || 640));
    if (String(width) !== container.dataset.width) renderSessionsChart();
  }

  /** Failures by result type, each with what it means and what to do; then by receiving MX host. */
  function renderFailures() {
    const summary = state.reports.summary;
    const types = Array.isArray(summary.failures_by_result_type) ? summary.failures_by_result_type : [];
    const items = types.map((entry) => {
      const known = Boolean(entry.meaning);
      const type = String(entry.result_type);
      const meaning = known ? entry.meaning : `“${type}” is not a result type this platform knows (RFC 8460 §4.3 ` +
        'and the registry it started), so it cannot say more about it than the senders do.';
      const advice = known && entry.advice ? entry.advice : 'Open a report below that lists it: the sender\'s ' +
        'additional information and failure reason code usually say what happened. If they do not, ask the ' +
        'reporter at its contact address.';
      return el('li', { className: 'failure-type', dataset: { resultType: type, known: String(known) } },
        el('p', { className: 'record-head' }, el('code', { className: 'result-type', text: type }),
          el('span', { className: 'badge', dataset: { status: 'wrong' },
            text: pluralCount(entry.failed_sessions, 'failed session', 'failed sessions') }),
          blocksEnforce(type) ? el('span', { className: 'badge', dataset: { status: 'pending' },
            text: 'blocks delivery under enforce' }) : null),
        el('p', { className: 'failure-meaning', text: meaning }),
        el('p', { className: 'failure-advice' }, el('strong', { text: 'What to do: ' }), advice));
    });
    byId('failure-types').replaceChildren(...(items.length ? items
      : [el('li', { className: 'muted', text: `No failed sessions in the last ${plural(summary.days, 'day', 'days')}.` })]));

    const hosts = Array.isArray(summary.failures_by_receiving_mx) ? summary.failures_by_receiving_mx : [];
    byId('failure-mx').replaceChildren(hosts.length === 0 ? el('p', { className: 'muted', text: 'None.' })
      : el('table', { id: 'failure-mx-table', className: 'count-table' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Receiving mail server' }),
          el('th', { scope: 'col', className: 'number', text: 'Failed sessions' }))),
        el('tbody', {}, ...hosts.map((entry) => el('tr', { dataset: { host: entry.receiving_mx_hostname || '' } },
          el('td', {}, entry.receiving_mx_hostname ? el('code', { text: entry.receiving_mx_hostname })
            : el('span', { className: 'muted', text: 'not named by the sender' })),
          el('td', { className: 'number', text: formatNumber(entry.failed_sessions) }))))));
  }

  /** Who reports: counts, the last report, the policy version each applies, and the ones gone silent. */
  function renderReporters() {
    const summary = state.reports.summary;
    const reporters = Array.isArray(summary.reporters) ? summary.reporters : [];
    const current = summary.current_policy_id;
    const items = reporters.map((reporter) => {
      const ok = Number(reporter.successful_sessions) || 0;
      const failed = Number(reporter.failed_sessions) || 0;
      const applied = reporter.last_applied_policy_id;
      const badges = [];
      if (reporter.silent) {
        badges.push(el('span', { className: 'badge silent', dataset: { status: 'silent' }, text: 'silent' }));
      }
      let policy;
      if (reporter.applies_current_policy === true) {
        badges.push(el('span', { className: 'badge', dataset: { status: 'found' }, text: 'current policy' }));
        policy = `Applies the current policy (id ${applied}).`;
      } else if (reporter.applies_current_policy === false) {
        badges.push(el('span', { className: 'badge', dataset: { status: 'pending' }, text: 'older policy' }));
        policy = `Applies policy id ${applied}, not the current ${current || 'one'}: it still holds an older version, ` +
          'and fetches the current one when that expires (max_age).';
      } else {
        badges.push(el('span', { className: 'badge', dataset: { status: 'unknown' }, text: 'policy not matched' }));
        policy = 'Its latest report matches no policy version this platform served (or leaves the policy out).';
      }
      return el('li', { className: 'reporter', dataset: { reporter: reporter.organization_name,
        silent: String(Boolean(reporter.silent)), applies: String(reporter.applies_current_policy) } },
      el('p', { className: 'record-head' }, el('strong', { className: 'reporter-name',
        text: reporter.organization_name }), ...badges),
      el('p', { text: `${pluralCount(reporter.reports, 'report', 'reports')} · ${pluralCount(ok + failed, 'session',
        'sessions')}, ${formatNumber(failed)} failed` }),
      reporter.silent
        ? el('p', { className: 'silent-note', text: `Silent: its latest report ended ${utcMoment(reporter.last_report_end)}, ` +
          'more than 3 days ago. It may have stopped sending you mail, or stopped reporting.' })
        : el('p', { className: 'muted', text: `Its latest report ended ${utcMoment(reporter.last_report_end)}.` }),
      el('p', { className: 'applied', text: policy }));
    });
    byId('reporters').replaceChildren(...(items.length ? items
      : [el('li', { className: 'muted', text: `No reports in the last ${plural(summary.days, 'day', 'days')}.` })]));
  }

  /** One row of the list: reporter, period, counts, the policy versions applied and their flags, and "Open". */
  function reportRow(listing) {
    const current = state.reports.summary.current_policy_id;
    const ids = Array.isArray(listing.applied_policy_ids) ? listing.applied_policy_ids : [];
    const period = reportPeriod(listing.start, listing.end);
    const flags = [];
    const notes = [];
    if (listing.outdated_policy) {
      flags.push(el('span', { className: 'badge', dataset: { status: 'outdated' }, text: 'outdated policy' }));
      notes.push('The sender applied a version you had already replaced when this period began.');
    }
    if (listing.unmatched_policy) {
      flags.push(el('span', { className: 'badge', dataset: { status: 'unknown' }, text: 'policy not matched' }));
      notes.push('A policy in it matches no version this platform served, or the sender left it out.');
    }
    const named = ids.map((id) => (id === current ? `${id} (current)` : id));
    const applied = ids.length === 0 ? 'applied no policy version this platform served'
      : `applied policy ${ids.length === 1 ? 'id' : 'ids'} ${named.join(', ')}`;
    const open = el('button', { type: 'button', className: 'secondary open-report', text: 'Open',
      'aria-label': `Open the report of ${listing.organization_name} for ${period}`,
      dataset: { focusKey: `report-${listing.id}` } });
    open.addEventListener('click', () => openReport(listing, open));
    const failed = Number(listing.failed_sessions) || 0;
    return el('li', { className: 'report-row', dataset: { reportId: listing.id,
      outdated: String(Boolean(listing.outdated_policy)), unmatched: String(Boolean(listing.unmatched_policy)) } },
    el('div', { className: 'report-summary' },
      el('p', { className: 'record-head' }, el('strong', { className: 'reporter-name', text: listing.organization_name }),
        el('span', { className: 'period', text: period }), ...flags),
      el('p', { className: 'sessions' }, `${formatNumber(listing.successful_sessions)} successful · `,
        el('span', { className: failed > 0 ? 'failed-count' : '', text: `${formatNumber(failed)} failed` }),
        ` · ${applied}`),
      ...notes.map((note) => el('p', { className: 'muted flag-note', text: note }))),
    open);
  }

  function renderReportList() {
    const { listings, nextBefore } = state.reports;
    replaceKeepingFocus(byId('report-list'), listings.map(reportRow));
    byId('report-list-empty').hidden = listings.length > 0;
    byId('reports-more').hidden = !nextBefore;
  }

  /** The next page (next_before): its rows are added below, and focus goes to the first of them. */
  async function loadOlderReports() {
    const reports = state.reports;
    if (!reports || !reports.nextBefore) return;
    const epoch = state.epoch;
    hideProblem(byId('reports-problem'));
    await busy(byId('reports-more'), async () => {
      try {
        const { data } = await api('GET', reportListPath(reports.name, reports.nextBefore));
        if (epoch !== state.epoch) return;
        const first = reports.listings.length;
        reports.listings.push(...(data.reports || []));
        reports.nextBefore = data.next_before || null;
        renderReportList();
        const added = data.reports ? data.reports.length : 0;
        say(byId('reports-more-status'), `${pluralCount(added, 'older report', 'older reports')} added` +
          (reports.nextBefore ? '.' : ': that is all of them.'));
        const row = byId('report-list').children[first];
        if (row) focusElement(row.querySelector('button.open-report'));
      } catch (error) {
        if (epoch === state.epoch) showGenericProblem(byId('reports-problem'), error);
      }
    });
  }

  /** Opens one report in the panel below the list (…/reports/{id}). */
  async function openReport(listing, button) {
    const reports = state.reports;
    const epoch = state.epoch;
    hideProblem(byId('reports-problem'));
    await busy(button, async () => {
      try {
        const { data } = await api('GET', `${domainPath(reports.name)}/reports/${encodeURIComponent(listing.id)}`);
        if (epoch !== state.epoch) return;
        reports.detail = data;
        renderReportDetail();
        byId('report-detail').hidden = false;
        focusElement(byId('report-detail-heading'));
      } catch (error) {
        if (epoch === state.epoch) showGenericProblem(byId('reports-problem'), error);
      }
    });
  }

  /**
   * The file name RFC 8460 §5.1 gives reports: `<reporter>!<policy domain>!<start>!<end>.json`, the reporter as
   * the host of its contact address when it has one, the times in Unix seconds.
   */
  function reportFileName(detail, domainName) {
    const safe = (text) => String(text).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
    const contact = String(detail.contact_info || '').trim();
    const host = (/@([a-z0-9.-]+\.[a-z]{2,})$/i.exec(contact.replace(/^mailto:/i, '')) ||
      /^https?:\/\/([a-z0-9.-]+)/i.exec(contact) || [])[1];
    const seconds = (text) => { const date = parseDate(text); return date ? Math.floor(date.getTime() / 1000) : 0; };
    const reporter = safe(host || detail.organization_name) || 'reporter';
    return `${reporter}!${safe(domainName)}!${seconds(detail.start)}!${seconds(detail.end)}.json`;
  }

  function releaseDownload() {
    const reports = state.reports;
    if (reports && reports.download) URL.revokeObjectURL(reports.download);
    if (reports) reports.download = null;
    const link = byId('report-download');
    link.removeAttribute('href');
    link.removeAttribute('title');
  }

  function failureDetailsTable(failures, number) {
    const heads = ['Result type', 'Receiving mail server', 'Receiving IP', 'Sending server', 'Sessions', 'Details'];
    const table = el('table', { className: 'failure-details' },
      el('thead', {}, el('tr', {}, ...heads.map((text) => el('th', { scope: 'col', text })))),
      el('tbody', {}, ...failures.map((failure) => el('tr', { dataset: { resultType: failure.result_type } },
        el('td', {}, el('code', { text: failure.result_type })),
        el('td', { text: failure.receiving_mx_hostname || failure.receiving_mx_helo || '—' }),
        el('td', { text: failure.receiving_ip || '—' }),
        el('td', { text: failure.sending_mta_ip || '—' }),
        el('td', { className: 'number', text: formatNumber(failure.failed_session_count) }),
        el('td', { text: [failure.failure_reason_code, failure.additional_information].filter(Boolean).join(' · ') ||
          '—' })))));
    // A wide table scrolls inside its own box on a phone; the box takes keyboard focus so it can be scrolled.
    return el('div', { className: 'table-scroll', tabindex: '0', role: 'region',
      'aria-label': `Failure details of policy ${number}` }, table);
  }

  function renderReportDetail() {
    const reports = state.reports;
    const detail = reports.detail;
    const current = reports.summary ? reports.summary.current_policy_id : null;
    byId('report-detail-heading').textContent = `Report from ${detail.organization_name}, ` +
      reportPeriod(detail.start, detail.end);
    const fields = el('dl', { className: 'record-fields' },
      el('dt', { text: 'Reporter' }), el('dd', { text: detail.organization_name }),
      el('dt', { text: 'Contact' }), el('dd', { text: detail.contact_info || '—' }),
      el('dt', { text: 'Report id' }), el('dd', {}, el('code', { className: 'value', text: detail.report_id })),
      el('dt', { text: 'Received' }), el('dd', { text: `${formatDate(detail.received_at)}, ` +
        `${CHANNEL_WORDS[detail.channel] || detail.channel}` }),
      el('dt', { text: 'Sessions' }), el('dd', { text: `${formatNumber(detail.successful_sessions)} successful, ` +
        `${formatNumber(detail.failed_sessions)} failed` }));
    const policies = (Array.isArray(detail.policies) ? detail.policies : []).map((policy, index) => {
      const failures = Array.isArray(policy.failure_details) ? policy.failure_details : [];
      const id = policy.applied_policy_id;
      return el('section', { className: 'report-policy', dataset: { position: String(index) } },
        el('h3', { text: `Policy ${index + 1}: ${policy.policy_type} for ${policy.policy_domain}` }),
        el('p', { className: 'applied', text: id ? `Applied policy id ${id}${id === current ? ' (the current one)' : ''}.`
          : 'Matches no policy version this platform served.' }),
        policy.mx_hosts && policy.mx_hosts.length
          ? el('p', { className: 'muted', text: `MX in the policy it applied: ${policy.mx_hosts.join(', ')}` }) : null,
        el('p', { text: `${formatNumber(policy.successful_sessions)} successful, ` +
          `${formatNumber(policy.failed_sessions)} failed sessions.` }),
        failures.length ? failureDetailsTable(failures, index + 1)
          : el('p', { className: 'muted', text: 'No failure details.' }));
    });
    byId('report-detail-body').replaceChildren(fields, ...policies);
    releaseDownload();
    const name = reportFileName(detail, reports.name);
    reports.download = URL.createObjectURL(new Blob([`${JSON.stringify(detail.raw, null, 2)}\n`],
      { type: 'application/json' }));
    const link = byId('report-download');
    link.href = reports.download;
    link.download = name;
    link.title = name;
  }

  function closeReport() {
    const reports = state.reports;
    if (!reports || !reports.detail) return;
    const id = reports.detail.id;
    reports.detail = null;
    releaseDownload();
    byId('report-detail').hidden = true;
    byId('report-detail-body').replaceChildren();
    const opener = byId('report-list').querySelector(`[data-focus-key="${CSS.escape(`report-${id}`)}"]`);
    focusElement(opener || byId('report-list-heading'));
  }

  // MARK: - Removing a domain (RFC 8461 §8.3)

  function openDeleteDialog() {
    const domain = state.domain;
    const dialog = byId('delete-dialog');
    const text = byId('delete-dialog-text');
    const largest = Math.max(OFFBOARDING_MAX_AGE, ...state.history.map((entry) => Number(entry.max_age) || 0));
    byId('delete-dialog-heading').textContent = `Remove ${domain.name}?`;
    if (domain.status === 'pending_verification') {
      text.replaceChildren(el('p', { text: `${domain.name} was never verified, so it never served a policy: it is ` +
        'deleted at once.' }));
      byId('delete-confirm').textContent = 'Delete now';
    } else {
      text.replaceChildren(
        el('p', { text: 'Sending mail servers cache an MTA-STS policy for its max_age. Simply removing it could ' +
          'leave them enforcing a stale policy, so the platform offboards the domain as RFC 8461 §8.3 asks:' }),
        el('ul', {},
          el('li', { text: 'it publishes a new policy with mode none and max_age 86400 (one day) at once;' }),
          el('li', { text: `it keeps serving that policy until every policy senders may have cached has expired: ` +
            `about ${formatDuration(largest)} from now (the largest max_age served);` }),
          el('li', { text: 'then the domain is removed and its name is free again.' })),
        el('p', { text: 'Keep the mta-sts CNAME and the _mta-sts record (TXT, or CNAME into the platform\'s zone) ' +
          'published until then. This cannot be undone.' }));
      byId('delete-confirm').textContent = 'Start offboarding';
    }
    dialog.showModal();
    byId('delete-cancel').focus();
  }

  async function confirmDelete() {
    const dialog = byId('delete-dialog');
    const name = state.domain.name;
    const result = byId('delete-result');
    await busy([byId('delete-confirm'), byId('delete-cancel')], async () => {
      try {
        const { status, data } = await api('DELETE', domainPath(name));
        dialog.close();
        sessionStorage.removeItem(PENDING_KEY + name);
        await loadAccount();
        if (status === 202) {
          await openDomain(name);
          focusElement(byId('offboarding-heading'));
        } else {
          leaveDomain();
          navigate('#/');
          // After the route change (which clears notices): the domain page it was about is gone.
          window.setTimeout(() => announce(`${name} was deleted${data && data.detail ? ': it never served a policy.' : '.'}`), 0);
        }
      } catch (error) {
        dialog.close();
        result.className = 'problem';
        showGenericProblem(result, error);
      }
    });
  }

  // MARK: - A yes/no question

  /** Asks in a modal dialog; resolves to true for yes. Focus returns to `returnFocus`. */
  function confirmAction({ title, lines, confirm, cancel = 'Cancel', danger = false, returnFocus }) {
    const dialog = byId('confirm-dialog');
    byId('confirm-dialog-heading').textContent = title;
    byId('confirm-dialog-text').replaceChildren(...lines.map((line) => el('p', { text: line })));
    byId('confirm-no').textContent = cancel;
    const yes = byId('confirm-yes');
    yes.textContent = confirm;
    yes.className = danger ? 'danger' : '';
    return new Promise((resolve) => {
      let answer = false;
      const onYes = () => { answer = true; dialog.close(); };
      const onNo = () => dialog.close();
      const onClose = () => {
        yes.removeEventListener('click', onYes);
        byId('confirm-no').removeEventListener('click', onNo);
        dialog.removeEventListener('close', onClose);
        if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
        resolve(answer);
      };
      yes.addEventListener('click', onYes);
      byId('confirm-no').addEventListener('click', onNo);
      dialog.addEventListener('close', onClose);
      dialog.showModal();
      byId('confirm-no').focus();
    });
  }

  // MARK: - API tokens

  async function loadTokens() {
    try {
      const { data } = await api('GET', '/v1/tokens');
      renderTokens(data.tokens || []);
    } catch (error) {
      if (error.status !== 401) say(byId('token-status'), 'Could not load the API tokens; reload the page.');
    }
  }

  function renderTokens(tokens) {
    byId('token-list').replaceChildren(...tokens.map((token) => {
      const revoke = el('button', { type: 'button', className: 'secondary', text: 'Revoke',
        'aria-label': `Revoke token ${token.name}` });
      revoke.addEventListener('click', () => revokeToken(token, revoke));
      return el('li', { dataset: { tokenId: token.id } }, el('strong', { text: token.name }), revoke,
        el('span', { className: 'token-meta', text: `created ${formatDate(token.created_at)} · ` +
          `${token.expires_at ? `expires ${formatDate(token.expires_at)}` : 'never expires'} · ` +
          `last used ${token.last_used_at ? formatDate(token.last_used_at) : 'never'}` }));
    }));
    byId('token-list-empty').hidden = tokens.length > 0;
  }

  async function createToken(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const problemBox = byId('token-problem');
    hideProblem(problemBox);
    clearFieldErrors(form);
    byId('token-status').textContent = '';
    const body = { name: form.elements.name.value.trim() };
    if (form.elements.expires_in.value) body.expires_in = Number(form.elements.expires_in.value);
    await busy(form.querySelector('button[type="submit"]'), async () => {
      try {
        const { data } = await api('POST', '/v1/tokens', { body });
        form.reset();
        byId('token-secret-value').textContent = data.value;
        byId('token-secret').hidden = false;
        await loadTokens();
        focusElement(byId('token-secret-heading'));
      } catch (error) {
        const errors = error.problem && Array.isArray(error.problem.errors) ? error.problem.errors : [];
        if (error.status === 422 && errors.length > 0) {
          const first = showFieldErrors(form, errors, (item) => (item.field === 'name' && item.rule === 'required'
            ? 'Give the token a name, such as “ci” or “backup script”, to recognise it later.'
            : item.field === 'name' && item.rule === 'characters' ? 'Use a name without control characters.'
              : commonWords(item, { what: 'The name' })));
          if (first) { focusField(first); return; }
        }
        if (error.kind === 'token-limit-reached') {
          setFieldError(byId('token-name'), `An account can hold ${error.problem.limit || 50} API tokens: revoke one ` +
            'you no longer use first.');
          focusElement(byId('token-name'));
          return;
        }
        showGenericProblem(problemBox, error);
      }
    });
  }

  function hideTokenSecret() {
    byId('token-secret-value').textContent = '';
    byId('token-secret').hidden = true;
  }

  async function revokeToken(token, button) {
    const yes = await confirmAction({
      title: `Revoke the token “${token.name}”?`,
      lines: ['Scripts that use it stop working at once. This cannot be undone: a new token has a new secret.'],
      confirm: 'Revoke',
      danger: true,
      returnFocus: button,
    });
    if (!yes) return;
    const status = byId('token-status');
    await busy(button, async () => {
      try {
        await api('DELETE', `/v1/tokens/${encodeURIComponent(token.id)}`);
      } catch (error) {
        if (error.status === 404) say(status, `Token ${token.name} was already revoked.`);
        else { showGenericProblem(byId('token-problem'), error); return; }
      }
      await loadTokens();
      say(status, `Token ${token.name} revoked: it no longer works.`);
      focusElement(byId('token-name'));
    });
  }

  // MARK: - Alerts: webhooks and e-mail (#/alerts)

  /** Words for an event's type, as in the delivery log and the list of recent e-mails. */
  const EVENT_WORDS = {
    test: 'Test event',
    'alert.opened': 'Problem found',
    'alert.resolved': 'Problem cleared',
    'mx_change.ready': 'Time to switch the MX records',
    'mx_change.completed': 'Change of mail provider done',
  };

  const eventWords = (type) => EVENT_WORDS[type] || 'Alert';

  /** The state of a delivery in a word or two (its badge): also "retrying" for a pending one tried before. */
  function deliveryState(delivery) {
    if (delivery.status === 'pending') return delivery.attempts > 0 ? 'retrying' : 'waiting';
    return delivery.status;
  }

  const DELIVERY_STATE_WORDS = { delivered: 'delivered', failed: 'failed', waiting: 'waiting to be sent',
    retrying: 'not delivered yet' };

  /** What the receiver did at the last attempt: "answered HTTP 204", or why it could not be reached. */
  function answerWords(delivery) {
    if (delivery.last_status !== null && delivery.last_status !== undefined) {
      return `your receiver answered HTTP ${delivery.last_status}`;
    }
    return delivery.last_error ? `no answer: ${delivery.last_error}` : '';
  }

  function deliveryNode(delivery) {
    const event = delivery.event || {};
    const what = [eventWords(delivery.type), event.domain, delivery.type === 'test' ? null : event.message]
      .filter(Boolean).join(' · ');
    const status = deliveryState(delivery);
    const details = [plural(delivery.attempts, 'attempt', 'attempts'), answerWords(delivery),
      status === 'retrying' && delivery.next_attempt_at ? `tries again ${formatDate(delivery.next_attempt_at)}` : null]
      .filter(Boolean);
    return el('li', { dataset: { deliveryId: delivery.id, status: delivery.status } },
      el('p', { className: 'delivery-head' },
        el('span', { className: 'badge', dataset: { status }, text: DELIVERY_STATE_WORDS[status] || status }), ' ',
        el('strong', { text: what })),
      el('p', { className: 'muted' }, agoNode(delivery.created_at), ` · ${details.join(' · ')}`));
  }

  /** Leaving the page forgets the secret shown once and the logs (they are read again on return). */
  function leaveAlerts() {
    hideWebhookSecret();
    state.alerts.deliveries = {};
    state.alerts.watching = {};
  }

  async function loadAlerts() {
    await Promise.all([loadWebhooks(), loadAlertSettings()]);
  }

  async function loadWebhooks() {
    try {
      const { data } = await api('GET', '/v1/webhooks');
      state.alerts.webhooks = data.webhooks || [];
    } catch (error) {
      if (error.status !== 401) say(byId('webhook-status'), 'Could not load your webhooks; reload the page.');
      return;
    }
    const known = new Set(state.alerts.webhooks.map((webhook) => webhook.id));
    for (const id of Object.keys(state.alerts.deliveries)) if (!known.has(id)) delete state.alerts.deliveries[id];
    renderWebhooks();
    await Promise.all(state.alerts.webhooks.map((webhook) => loadDeliveries(webhook.id)));
  }

  /** The newest deliveries of one webhook; says in its live region how a watched test event ended. */
  async function loadDeliveries(id) {
    let deliveries;
    try {
      const { data } = await api('GET', `/v1/webhooks/${encodeURIComponent(id)}/deliveries?limit=10`);
      deliveries = data.deliveries || [];
    } catch (error) {
      if (error.status === 404) await loadWebhooks();
      return; // else the log shown stays; the refresher or a reload reads it again

    }
    if (state.route.view !== 'alerts') return;
    state.alerts.deliveries[id] = deliveries;
    renderDeliveries(id);
    const watched = state.alerts.watching[id];
    const test = watched && deliveries.find((delivery) => delivery.id === watched);
    if (test && (test.status !== 'pending' || test.attempts > 0)) {
      delete state.alerts.watching[id];
      const status = document.querySelector(`#webhook-list li[data-webhook-id="${CSS.escape(id)}"] .webhook-live`);
      const answer = answerWords(test) || 'no answer';
      status.dataset.tone = test.status === 'delivered' ? 'ok' : 'problem';
      if (test.status === 'delivered') say(status, `The test event was delivered: ${answer}.`);
      else if (test.status === 'failed') say(status, `The test event could not be delivered: ${answer}.`);
      else {
        say(status, `The test event was not delivered: ${answer}. The platform tries again ` +
          `${formatDate(test.next_attempt_at)}; the list below follows it.`);
      }
    }
  }

  function renderWebhooks() {
    const webhooks = state.alerts.webhooks;
    replaceKeepingFocus(byId('webhook-list'), webhooks.map((webhook) => {
      const test = el('button', { type: 'button', className: 'secondary', text: 'Send test event',
        'aria-label': `Send a test event to ${webhook.url}`, dataset: { focusKey: `test-${webhook.id}` } });
      test.addEventListener('click', guard(() => sendTestEvent(webhook, test)));
      const remove = el('button', { type: 'button', className: 'secondary', text: 'Delete…',
        'aria-label': `Delete the webhook ${webhook.url}`, dataset: { focusKey: `delete-${webhook.id}` } });
      remove.addEventListener('click', guard(() => deleteWebhook(webhook, remove)));
      const headingID = `webhook-${webhook.id}-log`;
      return el('li', { dataset: { webhookId: webhook.id } },
        el('p', { className: 'webhook-url' }, el('code', { className: 'value', text: webhook.url })),
        el('p', { className: 'muted', text: [webhook.description, `added ${formatDate(webhook.created_at)}`]
          .filter(Boolean).join(' · ') }),
        el('div', { className: 'actions' }, test, remove),
        el('p', { className: 'feedback webhook-live', role: 'status', 'aria-live': 'polite' }),
        el('h3', { id: headingID, text: 'Latest deliveries' }),
        el('ol', { className: 'delivery-log', 'aria-labelledby': headingID }),
        el('p', { className: 'muted delivery-empty', text: 'Nothing sent yet.', hidden: true }));
    }));
    byId('webhook-list-empty').hidden = webhooks.length > 0;
    for (const webhook of webhooks) renderDeliveries(webhook.id);
  }

  function renderDeliveries(id) {
    const item = document.querySelector(`#webhook-list li[data-webhook-id="${CSS.escape(id)}"]`);
    const deliveries = state.alerts.deliveries[id];
    if (!item || !deliveries) return;
    item.querySelector('.delivery-log').replaceChildren(...deliveries.map(deliveryNode));
    item.querySelector('.delivery-empty').hidden = deliveries.length > 0;
  }

  /** How soon the delivery logs are read again: every 2 s while a delivery waits for its first try (or its next
   * try is due), else at the next try (at most a minute); not at all when nothing is pending. */
  function deliveriesInterval() {
    if (state.route.view !== 'alerts') return null;
    let soonest = null;
    for (const deliveries of Object.values(state.alerts.deliveries)) {
      for (const delivery of deliveries) {
        if (delivery.status !== 'pending') continue;
        const next = parseDate(delivery.next_attempt_at);
        const wait = !delivery.attempts || !next ? 2 * SECONDS
          : Math.min(60 * SECONDS, Math.max(2 * SECONDS, next.getTime() - Date.now() + 2 * SECONDS));
        soonest = soonest === null ? wait : Math.min(soonest, wait);
      }
    }
    return soonest;
  }

  function refreshPendingDeliveries() {
    const pending = Object.entries(state.alerts.deliveries)
      .filter(([, deliveries]) => deliveries.some((delivery) => delivery.status === 'pending'))
      .map(([id]) => id);
    return Promise.all(pending.map((id) => loadDeliveries(id)));
  }

  /** One sentence for a webhook field error (docs/api.md: the URL rules). */
  function webhookWords(item, text) {
    if (item.field === 'url') {
      switch (item.rule) {
        case 'required': return 'Enter the web address the platform should send alerts to.';
        case 'scheme': return /http:\/\//.test(item.message || '')
          ? 'The address must start with https:// (or http:// on this platform), such as https://hooks.example.com/mta-sts.'
          : 'The address must start with https://, such as https://hooks.example.com/mta-sts.';
        case 'userinfo': return 'Leave out the user name and password (the part before @): the signature already ' +
          'proves that a message comes from the platform.';
        case 'fragment': return 'Leave out the # and what follows it: that part of an address is never sent.';
        case 'public_address': {
          const reason = /^(.*?);/.exec(item.message || '');
          return `${reason ? `${reason[1]}: ` : ''}the platform sends alerts only to addresses reachable on the ` +
            'internet, not to private networks or this machine.';
        }
        case 'max_length': return 'The address is too long: at most 2048 characters.';
        case 'url': return `“${text}” is not a web address the platform can send to: check it for typos.`;
        default: return commonWords(item, { what: 'The address' });
      }
    }
    return commonWords(item, { what: 'The note' });
  }

  async function addWebhook(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const problemBox = byId('webhook-problem');
    hideProblem(problemBox);
    clearFieldErrors(form);
    hideWebhookSecret();
    byId('webhook-status').textContent = '';
    const url = form.elements.url.value.trim();
    const description = form.elements.description.value.trim();
    const body = { url };
    if (description) body.description = description;
    await busy(byId('webhook-add'), async () => {
      try {
        const { data } = await api('POST', '/v1/webhooks', { body });
        form.reset();
        byId('webhook-secret-url').textContent = data.url;
        byId('webhook-secret-value').textContent = data.secret;
        byId('webhook-secret').hidden = false;
        await loadWebhooks();
        focusElement(byId('webhook-secret-heading'));
        say(byId('webhook-status'), `Webhook added: alerts now go to ${data.url}.`);
      } catch (error) {
        const errors = error.problem && Array.isArray(error.problem.errors) ? error.problem.errors : [];
        if (error.status === 422 && errors.length > 0) {
          const first = showFieldErrors(form, errors, (item) => webhookWords(item, url));
          if (first) { focusField(first); return; }
        }
        if (error.kind === 'webhook-limit-reached' || error.kind === 'webhook-exists') {
          setFieldError(byId('webhook-url'), error.kind === 'webhook-exists'
            ? 'You already have a webhook for this address: it is in the list above.'
            : `An account can have ${error.problem.limit || 10} webhooks: delete one you no longer use first.`);
          focusElement(byId('webhook-url'));
          return;
        }
        showGenericProblem(problemBox, error);
      }
    });
  }

  function hideWebhookSecret() {
    byId('webhook-secret-value').textContent = '';
    byId('webhook-secret-url').textContent = '';
    byId('webhook-secret').hidden = true;
  }

  async function sendTestEvent(webhook, button) {
    const item = button.closest('li');
    const status = item.querySelector('.webhook-live');
    hideProblem(byId('webhook-problem'));
    await busy(button, async () => {
      try {
        const { data } = await api('POST', `/v1/webhooks/${encodeURIComponent(webhook.id)}/test`);
        state.alerts.watching[webhook.id] = data.id;
        state.alerts.deliveries[webhook.id] = [data, ...(state.alerts.deliveries[webhook.id] || [])
          .filter((delivery) => delivery.id !== data.id)];
        renderDeliveries(webhook.id);
        status.dataset.tone = 'ok';
        say(status, 'Test event queued: the list below shows when it arrives.');
      } catch (error) {
        if (error.kind === 'too-many-test-events') {
          const minutes = Math.max(1, Math.ceil((error.retryAfter || 60) / 60));
          status.dataset.tone = 'problem';
          say(status, `Too many test events this hour: you can send another in ${plural(minutes, 'minute', 'minutes')}.`);
          return;
        }
        if (error.status === 404) { await loadWebhooks(); say(byId('webhook-status'), 'That webhook was deleted.'); return; }
        showGenericProblem(byId('webhook-problem'), error);
      }
    });
  }

  async function deleteWebhook(webhook, button) {
    const yes = await confirmAction({
      title: `Delete the webhook for ${webhook.url}?`,
      lines: ['Alerts stop going there at once, messages still waiting to be sent are dropped, and its list of ' +
        'deliveries is deleted. Adding it again gives it a new secret.'],
      confirm: 'Delete',
      danger: true,
      returnFocus: button,
    });
    if (!yes) return;
    const status = byId('webhook-status');
    await busy(button, async () => {
      try {
        await api('DELETE', `/v1/webhooks/${encodeURIComponent(webhook.id)}`);
      } catch (error) {
        if (error.status !== 404) { showGenericProblem(byId('webhook-problem'), error); return; }
      }
      delete state.alerts.watching[webhook.id];
      await loadWebhooks();
      say(status, `Webhook deleted: alerts no longer go to ${webhook.url}.`);
      focusElement(byId('webhook-url'));
    });
  }

  // MARK: - Alert e-mail

  const MAX_EMAIL_RECIPIENTS = 5;
  const EMAIL_STATUS_WORDS = { pending: 'waiting to be sent', delivered: 'sent', failed: 'failed' };

  async function loadAlertSettings({ fillForm = true } = {}) {
    try {
      const { data } = await api('GET', '/v1/account/alerts');
      state.alerts.settings = data;
    } catch (error) {
      if (error.status !== 401) say(byId('email-status'), 'Could not load your e-mail settings; reload the page.');
      return;
    }
    renderAlertSettings({ fillForm });
  }

  function renderAlertSettings({ fillForm }) {
    const settings = state.alerts.settings;
    byId('email-loading').hidden = true;
    byId('email-unavailable').hidden = settings.email_available;
    byId('email-form').hidden = !settings.email_available;
    if (settings.email_available && fillForm) {
      renderEmailLines(settings.email_recipients.length > 0 ? settings.email_recipients : ['']);
    }
    const recent = settings.recent_email || [];
    byId('email-recent-heading').hidden = recent.length === 0;
    byId('email-recent').replaceChildren(...recent.map((entry) => el('li', { dataset: { status: entry.status } },
      el('p', { className: 'delivery-head' },
        el('span', { className: 'badge', dataset: { status: entry.status },
          text: EMAIL_STATUS_WORDS[entry.status] || entry.status }), ' ',
        el('strong', { text: eventWords(entry.event_type) })),
      el('p', { className: 'muted' }, agoNode(entry.created_at), entry.error ? ` · ${entry.error}` : ''))));
  }

  /** One line per address: its input, its own error line and a remove button. */
  function renderEmailLines(addresses) {
    byId('email-lines').replaceChildren(...addresses.map((address, index) => emailLine(address, index)));
    byId('email-add-line').hidden = addresses.length >= MAX_EMAIL_RECIPIENTS;
  }

  function emailLine(address, index) {
    const id = `email-recipient-${index + 1}`;
    const input = el('input', { id, type: 'email', autocomplete: 'off', spellcheck: 'false', maxlength: '254',
      'data-field': `email_recipients[${index}]`, 'aria-describedby': `${id}-error` });
    input.value = address;
    const remove = el('button', { type: 'button', className: 'secondary', text: 'Remove',
      'aria-label': `Remove address ${index + 1}` });
    remove.addEventListener('click', () => removeEmailLine(index));
    return el('li', { className: 'field' },
      el('label', { for: id, text: `Address ${index + 1}` }),
      el('div', { className: 'email-line' }, input, remove),
      el('p', { id: `${id}-error`, className: 'field-error', hidden: true }));
  }

  const emailInputs = () => [...byId('email-lines').querySelectorAll('input')];

  function addEmailLine() {
    const values = emailInputs().map((input) => input.value);
    if (values.length >= MAX_EMAIL_RECIPIENTS) return;
    renderEmailLines([...values, '']);
    focusElement(emailInputs()[values.length]);
  }

  function removeEmailLine(index) {
    const values = emailInputs().map((input) => input.value);
    values.splice(index, 1);
    renderEmailLines(values.length > 0 ? values : ['']);
    const inputs = emailInputs();
    focusElement(inputs[Math.min(index, inputs.length - 1)]);
    say(byId('email-status'), `Address ${index + 1} removed from the list; save to apply.`);
  }

  async function saveAlertEmail(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const problemBox = byId('email-problem');
    const status = byId('email-status');
    hideProblem(problemBox);
    clearFieldErrors(form);
    const formError = byId('email-form-error');
    formError.replaceChildren();
    formError.hidden = true;
    status.textContent = '';
    // The addresses sent, each with the line it came from (errors name the index in the list sent).
    const sent = emailInputs().map((input) => ({ input, text: input.value.trim() }))
      .filter((entry) => entry.text.length > 0);
    await busy(byId('email-save'), async () => {
      try {
        const { data } = await api('PUT', '/v1/account/alerts',
          { body: { email_recipients: sent.map((entry) => entry.text) } });
        state.alerts.settings = data;
        renderAlertSettings({ fillForm: true });
        const count = data.email_recipients.length;
        say(status, count === 0 ? 'Saved: alerts are no longer sent by e-mail.'
          : `Saved: alerts go by e-mail to ${count === 1 ? data.email_recipients[0] : `these ${count} addresses`}.`);
      } catch (error) {
        const errors = error.problem && Array.isArray(error.problem.errors) ? error.problem.errors : [];
        if (error.status === 422 && errors.length > 0) {
          let first = null;
          for (const item of errors) {
            const match = /^email_recipients\[(\d+)\]$/.exec(String(item.field || ''));
            const entry = match ? sent[Number(match[1])] : null;
            if (entry) {
              setFieldError(entry.input, item.rule === 'email'
                ? `“${entry.text}” is not an e-mail address. ${item.message || ''}`.trim()
                : commonWords(item, { what: 'This address' }));
              first = first || entry.input;
            } else {
              formError.append(el('span', { className: 'error-line', text: item.rule === 'max_items'
                ? `At most ${MAX_EMAIL_RECIPIENTS} addresses.` : commonWords(item, { what: 'The list' }) }));
              formError.hidden = false;
            }
          }
          showMessage(problemBox, 'Nothing was saved.', 'Alerts still go to the addresses saved before.');
          focusElement(first || problemBox);
          return;
        }
        if (error.kind === 'alert-email-unavailable') {
          await loadAlertSettings();
          focusElement(byId('email-heading'));
          return;
        }
        showGenericProblem(problemBox, error);
      }
    });
  }

  // MARK: - Activity: the account's audit log (#/activity)

  const ACTIVITY_PAGE = 50;
  /** Words for the audit log's actions (docs/api.md); an action not listed shows as its code. */
  const ACTIVITY_ACTIONS = {
    'account.create': 'Account created', 'account.password_change': 'Password changed',
    'account.close': 'Account closed', 'account.alerts_update': 'Alert e-mail changed',
    'session.create': 'Signed in', 'session.end': 'Signed out', 'session.revoke': 'Session ended',
    'token.create': 'API token created', 'token.revoke': 'API token revoked',
    'domain.create': 'Domain added', 'domain.verify': 'Domain verified', 'domain.delete': 'Domain removed',
    'domain.ownership_lost': 'Ownership lost', 'domain.offboarded': 'Offboarding finished',
    'policy.update': 'Policy changed', 'policy.rotate': 'Policy id rotated', 'tlsrpt.update': 'TLS-RPT addresses changed',
    'certificate.issue': 'Certificate issued', 'certificate.renew': 'Certificate renewed',
    'certificate.fail': 'Certificate order failed', 'certificate.retry': 'Certificate orders resumed',
    'mx_change.create': 'MX change started', 'mx_change.ready': 'MX change ready', 'mx_change.cancel': 'MX change cancelled',
    'webhook.create': 'Webhook added', 'webhook.delete': 'Webhook removed', 'webhook.test': 'Webhook test sent',
    'alert.open': 'Alert opened', 'alert.clear': 'Alert cleared',
  };

  const activityPath = (before) => `/v1/audit-log?limit=${ACTIVITY_PAGE}` + (before ? `&before=${before}` : '');

  /** Who acted, in words: the credential's id is shortened (it is no secret, only long). */
  function activityActor(actor) {
    const id = actor && actor.id ? String(actor.id) : '';
    const short = id.length > 8 ? `${id.slice(0, 8)}…` : id;
    switch (actor && actor.kind) {
      case 'account': return `You (session ${short})`;
      case 'token': return `API token ${short}`;
      case 'worker': return 'The platform';
      case 'operator': return 'The operator';
      default: return id || '—';
    }
  }

  function activityRow(entry) {
    const words = ACTIVITY_ACTIONS[entry.action];
    const details = Object.entries(entry.details || {}).filter(([, value]) => value !== '')
      .map(([key, value]) => `${key.replace(/_/g, ' ')}: ${value}`);
    const date = parseDate(entry.at);
    return el('tr', { dataset: { entryId: String(entry.id), action: entry.action, actor: entry.actor ? entry.actor.kind : '' },
      tabindex: '-1' },
    el('td', {}, date ? el('time', { datetime: date.toISOString(), text: formatDate(date) }) : '—'),
    el('td', { className: 'activity-actor', title: entry.actor ? entry.actor.id : '', text: activityActor(entry.actor) }),
    el('td', { className: 'activity-action' }, el('span', { text: words || entry.action }),
      words ? el('code', { className: 'activity-code', text: entry.action }) : null,
      ...(details.length ? [el('span', { className: 'activity-details', text: details.join(' · ') })] : [])),
    el('td', { className: 'activity-target', text: entry.target || '—' }),
    el('td', { className: 'activity-source', text: entry.source_address || '—' }));
  }

  function renderActivity() {
    const { entries, nextBefore } = state.activity;
    byId('activity-list').replaceChildren(...entries.map(activityRow));
    byId('activity-empty').hidden = entries.length > 0;
    byId('activity-table').hidden = entries.length === 0;
    byId('activity-more').hidden = !nextBefore;
  }

  /** The newest page, read again each time the page opens. */
  async function loadActivity() {
    hideProblem(byId('activity-problem'));
    try {
      const { data } = await api('GET', activityPath(null));
      state.activity = { entries: data.entries || [], nextBefore: data.next_before || null };
      renderActivity();
    } catch (error) {
      if (error.status !== 401) showGenericProblem(byId('activity-problem'), error, { focus: false });
    }
  }

  /** The next page (next_before): its rows are added below, and focus goes to the first of them. */
  async function loadMoreActivity() {
    const activity = state.activity;
    if (!activity.nextBefore) return;
    hideProblem(byId('activity-problem'));
    await busy(byId('activity-more'), async () => {
      try {
        const { data } = await api('GET', activityPath(activity.nextBefore));
        if (state.route.view !== 'activity' || state.activity !== activity) return;
        const first = activity.entries.length;
        activity.entries.push(...(data.entries || []));
        activity.nextBefore = data.next_before || null;
        renderActivity();
        const added = data.entries ? data.entries.length : 0;
        say(byId('activity-more-status'), `${pluralCount(added, 'older entry', 'older entries')} added` +
          (activity.nextBefore ? '.' : ': that is all of them.'));
        const row = byId('activity-list').children[first];
        if (row) focusElement(row);
      } catch (error) {
        showGenericProblem(byId('activity-problem'), error);
      }
    });
  }

  // MARK: - Wiring

  function guard(handler) {
    return (event) => {
      Promise.resolve(handler(event)).catch(() => {
        announce('Something went wrong in this page. Reload it to continue.');
      });
    };
  }

  function start() {
    byId('login-form').addEventListener('submit', guard((event) => {
      event.preventDefault();
      return submitCredentials(event.currentTarget, { signUp: false });
    }));
    byId('signup-form').addEventListener('submit', guard((event) => {
      event.preventDefault();
      return submitCredentials(event.currentTarget, { signUp: true });
    }));
    byId('logout-button').addEventListener('click', guard(logOut));
    byId('add-domain-form').addEventListener('submit', guard(addDomain));
    byId('add-domain-name').addEventListener('input', previewDomainInput);
    // A sentence about what was typed before no longer applies once the tenant types something else.
    for (const id of ['add-domain-form', 'signup-form', 'login-form', 'token-form', 'policy-form', 'tlsrpt-form',
      'check-form', 'mx-change-form', 'webhook-form', 'email-form']) {
      byId(id).addEventListener('input', (event) => {
        const field = event.target.closest('[data-field]');
        if (!field || field.getAttribute('aria-invalid') !== 'true') return;
        field.removeAttribute('aria-invalid');
        const message = byId(`${field.id}-error`);
        if (message) { message.replaceChildren(); message.hidden = true; }
      });
    }
    byId('verify-button').addEventListener('click', guard(() => verifyDomain()));
    byId('check-form').addEventListener('submit', guard(runPublicCheck));
    byId('check-domain').addEventListener('input', previewCheckInput);
    byId('check-now').addEventListener('click', guard(checkNow));
    byId('policy-preset').addEventListener('change', choosePolicyPreset);
    byId('mx-change-preset').addEventListener('change', chooseMovePreset);
    byId('mx-change-form').addEventListener('submit', guard(startMXChange));
    byId('mx-change-cancel').addEventListener('click', guard(cancelMXChange));
    const policyForm = byId('policy-form');
    policyForm.addEventListener('submit', guard(savePolicy));
    policyForm.addEventListener('input', () => renderDraft());
    policyForm.addEventListener('change', (event) => {
      if (event.target.name === 'max_age_preset') {
        const custom = event.target.value === 'custom';
        byId('max-age-custom-field').hidden = !custom;
        if (custom) focusElement(byId('policy-max-age-days'));
      }
      renderDraft();
    });
    byId('policy-reload').addEventListener('click', guard(reloadPolicy));
    byId('policy-enforce-anyway').addEventListener('click', guard(enforceAnyway));
    byId('mx-refresh').addEventListener('click', guard(async () => {
      await busy(byId('mx-refresh'), () => loadMXCheck());
      say(byId('policy-coverage-summary'), byId('policy-coverage-summary').textContent);
    }));
    byId('tlsrpt-form').addEventListener('submit', guard(saveTLSRPT));
    byId('dns-refresh').addEventListener('click', guard(checkDNSAgain));
    byId('dns-copy-all').addEventListener('click', () => {
      const text = byId('dns-zone-lines').textContent;
      if (text) copyText(text, 'zone-file lines', byId('dns-copy-all'));
    });
    byId('delete-button').addEventListener('click', openDeleteDialog);
    byId('delete-confirm').addEventListener('click', guard(confirmDelete));
    byId('delete-cancel').addEventListener('click', () => byId('delete-dialog').close());
    byId('delete-dialog').addEventListener('close', () => {
      if (!byId('domain-view').hidden && !byId('delete-panel').hidden) byId('delete-button').focus();
    });
    byId('reports-more').addEventListener('click', guard(loadOlderReports));
    byId('activity-more').addEventListener('click', guard(loadMoreActivity));
    byId('report-detail-close').addEventListener('click', closeReport);
    let resizing = false;
    window.addEventListener('resize', () => {
      if (resizing) return;
      resizing = true;
      window.requestAnimationFrame(() => { resizing = false; resizeSessionsChart(); });
    });
    byId('token-form').addEventListener('submit', guard(createToken));
    byId('webhook-form').addEventListener('submit', guard(addWebhook));
    byId('webhook-secret-done').addEventListener('click', () => {
      hideWebhookSecret();
      focusElement(byId('webhook-url'));
    });
    byId('email-form').addEventListener('submit', guard(saveAlertEmail));
    byId('email-add-line').addEventListener('click', addEmailLine);
    byId('token-secret-done').addEventListener('click', () => {
      hideTokenSecret();
      focusElement(byId('token-name'));
    });
    window.addEventListener('hashchange', guard(() => route({ focus: true })));

    const saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved) {
      state.token = saved;
      showApp().catch(() => showAuth());
    } else {
      showSignedOut();
    }
  }

  start();
})();
