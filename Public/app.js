// The tenant web form: a thin client of the JSON API (/v1, docs/api.md). No framework, no build step.
// Every text that comes from the API is put into the page with textContent, never parsed as HTML.
'use strict';

(() => {
  const TOKEN_KEY = 'mtasts.session';
  const OFFBOARDING_MAX_AGE = 86400;

  const state = {
    token: null,
    account: null,
    domains: [],
    domain: null, // the domain shown in the detail panel
    policy: null,
    etag: null,
    history: [],
    dnsRecords: [], // the last GET …/dns-records
    tlsrpt: null, // the last GET or PUT …/tlsrpt
  };

  // MARK: - Small DOM helpers

  const byId = (id) => document.getElementById(id);

  /** Creates an element; `text` is set with textContent, children are appended. */
  function el(tag, options = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined || value === null) continue;
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

  function formatDate(text) {
    if (!text) return '—';
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) return String(text);
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }

  function formatDuration(seconds) {
    const value = Number(seconds);
    if (!Number.isFinite(value)) return String(seconds);
    if (value >= 86400 && value % 86400 === 0) {
      const days = value / 86400;
      return days === 1 ? '1 day' : `${days} days`;
    }
    if (value >= 3600 && value % 3600 === 0) {
      const hours = value / 3600;
      return hours === 1 ? '1 hour' : `${hours} hours`;
    }
    return `${value} seconds`;
  }

  function announce(message) {
    const notice = byId('notice');
    notice.textContent = '';
    // A fresh text node makes screen readers announce a repeated message again.
    window.requestAnimationFrame(() => { notice.textContent = message; });
  }

  function focusElement(node) {
    if (!node) return;
    if (!node.hasAttribute('tabindex') && !/^(BUTTON|INPUT|SELECT|TEXTAREA|A)$/.test(node.tagName)) {
      node.setAttribute('tabindex', '-1');
    }
    node.focus();
  }

  /** Disables the submit control(s) while `work` runs. */
  async function busy(controls, work) {
    const list = Array.isArray(controls) ? controls : [controls];
    for (const control of list) if (control) { control.disabled = true; control.setAttribute('aria-busy', 'true'); }
    try {
      return await work();
    } finally {
      for (const control of list) if (control) { control.disabled = false; control.removeAttribute('aria-busy'); }
    }
  }

  // MARK: - The API client

  class APIError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
      this.status = status;
      this.problem = problem || {};
    }
  }

  /** Calls the API; resolves to {status, data, etag}, rejects with an APIError holding the problem document. */
  async function api(method, path, { body, headers = {} } = {}) {
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
      throw new APIError(0, { title: 'Network error', detail: `The server could not be reached (${error.message}).` });
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
      if (response.status === 401 && state.token) sessionEnded();
      throw new APIError(response.status, problem);
    }
    return { status: response.status, data, etag: response.headers.get('ETag') };
  }

  const domainPath = (name) => `/v1/domains/${encodeURIComponent(name)}`;

  // MARK: - Problems and field errors

  function clearFieldErrors(form) {
    if (!form) return;
    for (const input of form.querySelectorAll('[data-field]')) {
      input.removeAttribute('aria-invalid');
      const message = byId(`${input.id}-error`);
      if (message) { message.textContent = ''; message.hidden = true; }
    }
  }

  function hideProblem(container) {
    container.replaceChildren();
    container.hidden = true;
    container.classList.remove('success');
  }

  /**
   * Shows an API problem in `container`: title, detail, and each per-field error; fields found in `form`
   * (by data-field, `mx[2]` → `mx`) are marked invalid with the message beside them.
   */
  function showProblem(container, error, { form, extra = [] } = {}) {
    const problem = error instanceof APIError ? error.problem : { title: 'Error', detail: String(error && error.message) };
    container.classList.remove('success');
    const parts = [el('p', { className: 'problem-title', text: problem.title || 'Request failed' })];
    if (problem.detail) parts.push(el('p', { text: problem.detail }));
    const errors = Array.isArray(problem.errors) ? problem.errors : [];
    if (errors.length > 0) {
      parts.push(el('ul', {}, ...errors.map((item) => el('li', {},
        el('code', { text: item.field || 'body' }), ': ', item.message || item.rule || 'invalid'))));
    }
    if (problem.request_id) parts.push(el('p', { className: 'muted', text: `Request id: ${problem.request_id}` }));
    parts.push(...extra);
    container.replaceChildren(...parts);
    container.hidden = false;

    let firstInvalid = null;
    if (form) {
      clearFieldErrors(form);
      for (const item of errors) {
        const name = String(item.field || '').replace(/\[\d+\]$/, '');
        const input = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
        if (!input) continue;
        input.setAttribute('aria-invalid', 'true');
        const message = byId(`${input.id}-error`);
        if (message) {
          message.textContent = message.hidden ? item.message : `${message.textContent} ${item.message}`;
          message.hidden = false;
        }
        firstInvalid = firstInvalid || input;
      }
    }
    focusElement(firstInvalid || container);
  }

  function showSuccess(container, title, ...lines) {
    const nodes = lines.filter((line) => line).map((line) => (line instanceof Node ? line : el('p', { text: line })));
    container.replaceChildren(el('p', { className: 'problem-title', text: title }), ...nodes);
    container.classList.add('success');
    container.hidden = false;
  }

  // MARK: - Copy buttons

  /** The element whose text a copy button copies: its data-copy-from target, else the code element before it. */
  function copySource(button) {
    if (!button) return null;
    if (button.dataset.copyFrom) return byId(button.dataset.copyFrom);
    const previous = button.previousElementSibling;
    return previous && previous.tagName === 'CODE' ? previous : null;
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
    announce(copied ? `Copied the ${label}.` : `Select the ${label} and copy it with your keyboard.`);
    if (button && copied) {
      const original = button.dataset.originalText || button.textContent;
      button.dataset.originalText = original;
      button.textContent = 'Copied';
      window.setTimeout(() => { button.textContent = original; }, 2000);
    }
  }

  function copyButton(text, label) {
    const button = el('button', { type: 'button', className: 'copy secondary', text: 'Copy', 'aria-label': `Copy ${label}` });
    button.addEventListener('click', () => copyText(text, label, button));
    return button;
  }

  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-copy-from]') : null;
    if (!button) return;
    const source = byId(button.dataset.copyFrom);
    if (source) copyText(source.textContent, button.dataset.copyLabel || 'text', button);
  });

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
    state.account = null;
    state.domain = null;
    byId('app-view').hidden = true;
    byId('account-bar').hidden = true;
    byId('auth-view').hidden = false;
    byId('domain-view').hidden = true;
    hideTokenSecret();
    focusElement(byId('auth-heading'));
  }

  async function showApp() {
    byId('auth-view').hidden = true;
    byId('app-view').hidden = false;
    byId('account-bar').hidden = false;
    await Promise.all([loadAccount(), loadDomains(), loadTokens()]);
  }

  async function submitCredentials(form, path, problemBox, successMessage) {
    hideProblem(problemBox);
    clearFieldErrors(form);
    const body = { email: form.elements.email.value.trim(), password: form.elements.password.value };
    await busy(form.querySelector('button[type="submit"]'), async () => {
      try {
        const { data } = await api('POST', path, { body });
        const token = data.token ? data.token.value : data.value;
        setToken(token);
        form.reset();
        await showApp();
        announce(successMessage);
        focusElement(byId('domains-heading'));
      } catch (error) {
        const extra = [];
        if (error.status === 429) extra.push(el('p', { text: 'Too many attempts: wait a few minutes before trying again.' }));
        showProblem(problemBox, error, { form, extra });
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
    showAuth();
    announce('You are logged out.');
  }

  // MARK: - Account and domain list

  async function loadAccount() {
    try {
      const { data } = await api('GET', '/v1/account');
      state.account = data;
      renderAccount();
    } catch (error) {
      if (error.status !== 401) announce(`Could not load the account: ${error.message}`);
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
      if (error.status !== 401) announce(`Could not load the domains: ${error.message}`);
      return;
    }
    state.domains = domains;
    renderDomainList();
  }

  function renderDomainList() {
    const list = byId('domain-list');
    list.replaceChildren(...state.domains.map((domain) => {
      const button = el('button', { type: 'button', className: 'link', text: domain.unicode_name || domain.name,
        'aria-current': state.domain && state.domain.name === domain.name ? 'true' : null });
      button.addEventListener('click', guard(() => openDomain(domain.name, { focus: true })));
      return el('li', { dataset: { domain: domain.name } }, button, statusBadge(domain.status));
    }));
    byId('domain-list-empty').hidden = state.domains.length > 0;
  }

  function statusBadge(status) {
    const labels = { pending_verification: 'pending verification', verified: 'verified', offboarding: 'offboarding' };
    return el('span', { className: 'badge', dataset: { status }, text: labels[status] || status });
  }

  async function addDomain(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const problemBox = byId('add-domain-problem');
    hideProblem(problemBox);
    clearFieldErrors(form);
    await busy(form.querySelector('button[type="submit"]'), async () => {
      try {
        const { data } = await api('POST', '/v1/domains', { body: { name: form.elements.name.value.trim() } });
        form.reset();
        await Promise.all([loadAccount(), loadDomains()]);
        announce(`Added ${data.name}. Publish the TXT record shown to prove you own it.`);
        await openDomain(data.name, { domain: data });
        focusElement(byId('verify-heading'));
      } catch (error) {
        const extra = [];
        if (error.problem && error.problem.limit !== undefined) {
          extra.push(el('p', { text: `Your limit is ${error.problem.limit} domains.` }));
        }
        showProblem(problemBox, error, { form, extra });
      }
    });
  }

  // MARK: - Domain detail

  async function openDomain(name, { domain, focus = false } = {}) {
    const view = byId('domain-view');
    try {
      state.domain = domain || (await api('GET', domainPath(name))).data;
    } catch (error) {
      if (error.status === 404) {
        announce(`${name} no longer exists.`);
        view.hidden = true;
        await loadDomains();
        return;
      }
      throw error;
    }
    state.policy = null;
    state.etag = null;
    view.hidden = false;
    hideProblem(byId('domain-problem'));
    hideProblem(byId('verify-result'));
    hideProblem(byId('policy-result'));
    byId('delete-result').hidden = true;
    state.dnsRecords = [];
    state.tlsrpt = null;
    byId('tlsrpt-status').textContent = '';
    hideProblem(byId('tlsrpt-result'));
    renderDomainHeader();
    renderDomainList();
    renderSTSRecord();
    const status = state.domain.status;
    byId('verify-panel').hidden = status !== 'pending_verification';
    byId('offboarding-panel').hidden = status !== 'offboarding';
    byId('policy-panel').hidden = status !== 'verified';
    byId('tlsrpt-panel').hidden = status !== 'verified';
    byId('history-panel').hidden = status === 'pending_verification';
    byId('delete-panel').hidden = status === 'offboarding';
    if (status === 'pending_verification') renderVerification();
    if (status === 'offboarding') {
      byId('offboarding-text').textContent = `Mode none is published until ${formatDate(state.domain.serve_until)} ` +
        '(RFC 8461 §8.3); then the domain is removed. Keep the DNS records until then.';
    }
    if (focus) focusElement(byId('domain-heading'));
    const loads = [loadDNSRecords(), loadCertificate()];
    if (status === 'verified') loads.push(loadPolicy(), loadMXCheck(), loadTLSRPT());
    if (status !== 'pending_verification') loads.push(loadHistory());
    await Promise.all(loads);
  }

  function renderDomainHeader() {
    const domain = state.domain;
    const title = domain.unicode_name && domain.unicode_name !== domain.name
      ? `${domain.unicode_name} (${domain.name})` : domain.name;
    byId('domain-heading').textContent = title;
    const badge = byId('domain-status');
    badge.dataset.status = domain.status;
    badge.textContent = statusBadge(domain.status).textContent;
    const meta = [`added ${formatDate(domain.created_at)}`];
    if (domain.verified_at) meta.push(`verified ${formatDate(domain.verified_at)}`);
    byId('domain-meta').textContent = meta.join(' · ');
  }

  /** Reads the domain again (its drift check may have run) without resetting the rest of the view. */
  async function refreshDomain() {
    const name = state.domain && state.domain.name;
    if (!name) return;
    try {
      const { data } = await api('GET', domainPath(name));
      if (!state.domain || state.domain.name !== name) return;
      state.domain = data;
      renderDomainHeader();
      renderSTSRecord();
    } catch (error) {
      // A vanished domain is handled the next time it is opened; the rest of the view stays as it is.
    }
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
    panel.hidden = !domain || domain.status === 'pending_verification';
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
    const checked = `Checked ${formatDate(check.checked_at)}.`;
    const live = state.dnsRecords.find((record) => record.name === `_mta-sts.${domain.name}`);
    const settled = check.status === 'current' || check.status === 'delegated';
    byId('sts-record-checked').textContent = !settled && live && live.status === 'found'
      ? `${checked} The live lookup under DNS records finds the record right now; the next periodic check will ` +
        'confirm it.'
      : checked;
  }

  function renderVerification() {
    const record = state.domain.verification || {};
    byId('verify-name').textContent = record.name || `_mtasts-verify.${state.domain.name}`;
    byId('verify-value').textContent = record.value || '';
  }

  async function verifyDomain() {
    const result = byId('verify-result');
    hideProblem(result);
    const name = state.domain.name;
    await busy(byId('verify-button'), async () => {
      try {
        const { data } = await api('POST', `${domainPath(name)}/verify`);
        announce(`${name} is verified. Its first policy (mode ${data.policy ? data.policy.mode : 'none'}) is published.`);
        await Promise.all([loadDomains(), loadAccount()]);
        await openDomain(name, { domain: data.domain });
        focusElement(byId('policy-heading'));
      } catch (error) {
        showProblem(result, error, { extra: lookupDetails(error.problem) });
      }
    });
  }

  /** What the API says it expected and found (verification-failed, domain-verified-elsewhere). */
  function lookupDetails(problem) {
    const parts = [];
    if (!problem) return parts;
    if (problem.expected) {
      parts.push(el('p', {}, 'Expected: ', el('code', { className: 'value', text: problem.expected.name }), ' ',
        problem.expected.type || 'TXT', ' ', el('code', { className: 'value', text: problem.expected.value })));
    }
    if (problem.found) parts.push(foundDescription(problem.found, 'Found: '));
    return parts;
  }

  /** One lookup result: the result code, its sentence, and the values found. */
  function foundDescription(found, prefix) {
    const node = el('div', { className: 'found' });
    node.append(el('p', {}, prefix, el('strong', { text: found.result || 'unknown' }), found.detail ? ` — ${found.detail}` : ''));
    const values = Array.isArray(found.values) ? found.values : [];
    if (values.length > 0) {
      node.append(el('ul', {}, ...values.map((value) => el('li', {}, el('code', { className: 'value', text: value })))));
    }
    return node;
  }

  // MARK: - Policy

  async function loadPolicy() {
    try {
      const { data, etag } = await api('GET', `${domainPath(state.domain.name)}/policy`);
      state.policy = data;
      state.etag = etag || (data.id ? `"${data.id}"` : null);
      renderPolicy();
    } catch (error) {
      if (error.status !== 401) showProblem(byId('policy-result'), error);
    }
  }

  function renderPolicy() {
    const policy = state.policy;
    const form = byId('policy-form');
    clearFieldErrors(form);
    form.elements.mode.value = policy.mode;
    form.elements.mx.value = (policy.mx || []).join('\n');
    form.elements.max_age.value = String(policy.max_age);
    form.elements.force.checked = false;
    byId('policy-current').textContent =
      `Current id ${policy.id} · mode ${policy.mode} · max_age ${formatDuration(policy.max_age)} · ` +
      `updated ${formatDate(policy.updated_at)}`;
    byId('policy-text').textContent = policy.text || '';
  }

  async function savePolicy(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const result = byId('policy-result');
    hideProblem(result);
    clearFieldErrors(form);
    const maxAgeText = form.elements.max_age.value.trim();
    const body = {
      mode: form.elements.mode.value,
      mx: form.elements.mx.value.split('\n').map((line) => line.trim()).filter((line) => line.length > 0),
      max_age: /^\d+$/.test(maxAgeText) ? Number(maxAgeText) : maxAgeText,
    };
    if (form.elements.force.checked) body.force = true;
    const headers = state.etag ? { 'If-Match': state.etag } : {};
    await busy([byId('policy-save'), byId('policy-reload')], async () => {
      try {
        const { data, etag } = await api('PUT', `${domainPath(state.domain.name)}/policy`, { body, headers });
        state.policy = data;
        state.etag = etag || `"${data.id}"`;
        renderPolicy();
        if (data.mx_check) renderMXCheck(data.mx_check);
        showSuccess(result, data.changed ? `Policy saved: new id ${data.id}.` : 'No change: the policy text is the same.',
          !data.changed ? '' : stsDelegated()
            ? 'Your _mta-sts CNAME points into the platform\'s zone: the new id is announced for you.'
            : 'Publish the new id in the _mta-sts TXT record below so senders fetch it.');
        announce(data.changed ? `Policy saved with id ${data.id}.` : 'The policy was already like this.');
        focusElement(result);
        await Promise.all([loadDNSRecords(), loadHistory(), refreshDomain()]);
      } catch (error) {
        const extra = [];
        if (error.status === 412) {
          const reload = el('button', { type: 'button', className: 'secondary', text: 'Reload the policy' });
          reload.addEventListener('click', () => reloadPolicy());
          extra.push(el('p', { text: 'The policy was changed elsewhere since you loaded it (another tab or an API ' +
            'client). Reload it to see the current version, then make your change again.' }), reload);
        }
        if (error.problem && error.problem.mx_check) {
          renderMXCheck(error.problem.mx_check);
          extra.push(el('p', { text: 'See the live MX check below for the hosts senders would use.' }));
        }
        showProblem(result, error, { form, extra });
      }
    });
  }

  async function reloadPolicy() {
    hideProblem(byId('policy-result'));
    await Promise.all([loadPolicy(), loadMXCheck(), loadHistory()]);
    announce('Policy reloaded.');
    focusElement(byId('policy-mode'));
  }

  async function loadMXCheck() {
    try {
      const { data } = await api('GET', `${domainPath(state.domain.name)}/mx-check`);
      renderMXCheck(data);
    } catch (error) {
      if (error.status !== 401) byId('mx-check').replaceChildren(el('p', { className: 'muted', text: error.message }));
    }
  }

  function renderMXCheck(check) {
    const container = byId('mx-check');
    const hosts = Array.isArray(check.mx_hosts) ? check.mx_hosts : [];
    const parts = [];
    if (hosts.length === 0) {
      parts.push(el('p', { className: 'muted', text: 'No MX hosts were found.' }));
    } else {
      const rows = hosts.map((host) => el('tr', { dataset: { host: host.host } },
        el('td', {}, el('code', { text: host.host })),
        el('td', { text: host.preference }),
        el('td', {}, host.covered_by
          ? el('span', { className: 'badge', dataset: { status: 'found' }, text: `covered by ${host.covered_by}` })
          : el('span', { className: 'badge', dataset: { status: 'wrong' }, text: 'not covered' }))));
      parts.push(el('table', { className: 'mx-table' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col', className: 'col-host', text: 'MX host' }),
          el('th', { scope: 'col', className: 'col-preference', text: 'Pref.', title: 'Preference', 'aria-label': 'Preference' }),
          el('th', { scope: 'col', className: 'col-policy', text: 'Policy' }))),
        el('tbody', {}, ...rows)));
    }
    const unused = Array.isArray(check.unused_patterns) ? check.unused_patterns : [];
    if (unused.length > 0) {
      parts.push(el('p', { className: 'muted', text: `Patterns matching no live MX host: ${unused.join(', ')}` }));
    }
    if (check.lookup) parts.push(foundDescription(check.lookup, 'Lookup: '));
    container.replaceChildren(...parts);
  }

  async function loadHistory() {
    try {
      const { data } = await api('GET', `${domainPath(state.domain.name)}/policy/history`);
      state.history = data.policies || [];
      renderHistory();
    } catch (error) {
      if (error.status !== 401) byId('history').replaceChildren(el('li', { text: error.message }));
    }
  }

  function renderHistory() {
    const entries = [...state.history].reverse();
    byId('history').replaceChildren(...entries.map((entry) => el('li', { dataset: { policyId: entry.id } },
      el('div', { className: 'record-head' }, el('code', { text: entry.id }), ' ',
        el('span', { className: 'badge', dataset: { status: entry.current ? 'found' : 'unknown' },
          text: entry.current ? 'current' : 'superseded' })),
      el('p', { text: `mode ${entry.mode} · max_age ${formatDuration(entry.max_age)} · ` +
        `mx ${(entry.mx || []).join(', ') || '—'}` }),
      el('p', { className: 'muted', text: `served from ${formatDate(entry.served_from)}` +
        (entry.served_until ? ` until ${formatDate(entry.served_until)}` : '') }))));
    byId('history-panel').hidden = entries.length === 0;
  }

  // MARK: - DNS records and certificate

  async function loadDNSRecords() {
    const list = byId('dns-records');
    list.setAttribute('aria-busy', 'true');
    try {
      const { data } = await api('GET', `${domainPath(state.domain.name)}/dns-records`);
      state.dnsRecords = data.records;
      list.replaceChildren(...data.records.map(renderRecord));
      renderSTSRecord();
    } catch (error) {
      if (error.status !== 401) list.replaceChildren(el('li', { text: error.message }));
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  /** Whether the last DNS check found `_mta-sts.<domain>` delegated to the platform's zone. */
  function stsDelegated() {
    return state.dnsRecords.some((record) => record.name.startsWith('_mta-sts.') && record.published_as === 'cname');
  }

  const RECORD_STATUS_LABELS = { found: 'found', missing: 'missing', wrong: 'wrong value', unknown: 'lookup failed' };

  function renderRecord(record) {
    if (record.delegation) return renderDelegatedRecord(record);
    const labels = RECORD_STATUS_LABELS;
    const item = el('li', { dataset: { recordName: record.name, recordType: record.type, status: record.status } },
      el('div', { className: 'record-head' }, el('strong', { text: record.type }), ' ',
        el('span', { className: 'badge', dataset: { status: record.status }, text: labels[record.status] || record.status })),
      el('dl', { className: 'record-fields' },
        el('dt', { text: 'Name' }), el('dd', {}, el('code', { className: 'value', text: record.name }), ' ',
          copyButton(record.name, `${record.type} record name`)),
        el('dt', { text: 'Value' }), el('dd', {}, el('code', { className: 'value', text: record.value }), ' ',
          copyButton(record.value, `${record.type} record value`))),
      el('p', { className: 'muted', text: record.purpose || '' }));
    if (record.found && record.status !== 'found') {
      const prefix = record.status === 'wrong' ? 'Found instead: ' : 'Found: ';
      item.append(foundDescription(record.found, prefix));
    }
    return item;
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
          copyButton(delegation.value, `${delegation.type} record value`))));
    const cnameFound = delegation.found && Array.isArray(delegation.found.values) ? delegation.found.values : [];
    if (!delegation.published && cnameFound.length > 0) {
      cname.append(foundDescription(delegation.found, 'CNAME found instead: '));
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
          copyButton(record.value, `${record.type} record value`))));
    if (record.found && record.status !== 'found') {
      const prefix = record.status === 'wrong' ? 'Found instead: ' : 'Found: ';
      txt.append(foundDescription(record.found, prefix));
    }

    return el('li', { className: 'delegated', dataset: { recordName: record.name, recordType: record.type,
      status: record.status, publishedAs: publishedAs || 'none' } },
      head,
      el('dl', { className: 'record-fields' },
        el('dt', { text: 'Name' }), el('dd', {}, el('code', { className: 'value', text: record.name }), ' ',
          copyButton(record.name, 'record name'))),
      el('p', { className: 'muted', text: record.purpose || '' }),
      cname, txt);
  }

  // MARK: - TLS reports (RFC 8460)

  async function loadTLSRPT() {
    try {
      const { data } = await api('GET', `${domainPath(state.domain.name)}/tlsrpt`);
      state.tlsrpt = data;
      renderTLSRPT({ fillForm: true });
    } catch (error) {
      if (error.status !== 401) showProblem(byId('tlsrpt-result'), error);
    }
  }

  function renderTLSRPT({ fillForm }) {
    const data = state.tlsrpt;
    const rua = Array.isArray(data.rua) ? data.rua : [];
    const suggestion = state.account && state.account.email ? `mailto:${state.account.email}` : '';
    const current = byId('tlsrpt-current');
    if (rua.length === 0) {
      current.replaceChildren(el('p', { className: 'muted', text: 'No report addresses yet: senders are not told ' +
        'where to send TLS reports.' + (suggestion ? ' The form suggests your account\'s address; nothing is ' +
        'saved until you press Save report addresses.' : '') }));
    } else {
      current.replaceChildren(el('p', { text: rua.length === 1 ? 'Reports go to:' : `Reports go to these ${rua.length} addresses:` }),
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
      return item.message || 'The report addresses could not be read.';
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
    await busy(byId('tlsrpt-save'), async () => {
      try {
        const { data } = await api('PUT', `${domainPath(state.domain.name)}/tlsrpt`,
          { body: { rua: lines.map((entry) => entry.text) } });
        state.tlsrpt = data;
        renderTLSRPT({ fillForm: true });
        const message = data.rua.length === 0
          ? 'Saved: no report addresses, so senders are no longer told where to send TLS reports.'
          : `Saved: TLS reports go to ${data.rua.length === 1 ? 'this address' : `these ${data.rua.length} addresses`}.` +
            ' Publish the record shown below.';
        window.requestAnimationFrame(() => { status.textContent = message; });
        await loadDNSRecords();
      } catch (error) {
        const errors = error.problem && Array.isArray(error.problem.errors) ? error.problem.errors : [];
        if (error.status !== 422 || errors.length === 0) {
          showProblem(result, error);
          return;
        }
        const message = byId('tlsrpt-rua-error');
        message.replaceChildren(...errors.map((item) => el('span', { className: 'error-line', text: tlsrptErrorSentence(item, lines) })));
        message.hidden = false;
        field.setAttribute('aria-invalid', 'true');
        result.replaceChildren(el('p', { className: 'problem-title',
          text: `Nothing was saved: ${errors.length === 1 ? 'one line needs' : `${errors.length} lines need`} fixing.` }),
          el('p', { text: 'The addresses in force are still the ones listed above.' }));
        result.hidden = false;
        focusElement(field);
      }
    });
  }

  async function loadCertificate() {
    const list = byId('certificate');
    try {
      const { data } = await api('GET', `${domainPath(state.domain.name)}/certificate`);
      const rows = [['Host', data.host], ['Status', null], ['Expires', formatDate(data.not_after)]];
      if (data.renew_after) rows.push(['Renews after', formatDate(data.renew_after)]);
      if (data.last_error) rows.push(['Last error', `${data.last_error} (${formatDate(data.last_error_at)})`]);
      list.replaceChildren(...rows.flatMap(([label, value]) => [el('dt', { text: label }),
        label === 'Status' ? el('dd', {}, el('span', { className: 'badge', dataset: { status: data.status },
          text: String(data.status).replace(/_/g, ' ') })) : el('dd', { text: value })]));
    } catch (error) {
      if (error.status === 404) {
        list.replaceChildren(el('dt', { text: 'Status' }), el('dd', { text: 'No certificate information yet.' }));
      } else if (error.status !== 401) {
        list.replaceChildren(el('dt', { text: 'Status' }), el('dd', { text: error.message }));
      }
    }
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
        await Promise.all([loadAccount(), loadDomains()]);
        if (status === 202) {
          await openDomain(name);
          const box = byId('domain-problem');
          showSuccess(box, `${name} is being offboarded until ${formatDate(data.serve_until)}.`, data.detail || '');
          announce(`Offboarding ${name} until ${formatDate(data.serve_until)}.`);
          focusElement(box);
        } else {
          byId('domain-view').hidden = true;
          state.domain = null;
          renderDomainList();
          announce(data.detail ? `${name} deleted. ${data.detail}` : `${name} deleted.`);
          focusElement(byId('domains-heading'));
        }
      } catch (error) {
        dialog.close();
        result.hidden = false;
        result.className = 'problem';
        showProblem(result, error);
      }
    });
  }

  // MARK: - API tokens

  async function loadTokens() {
    try {
      const { data } = await api('GET', '/v1/tokens');
      renderTokens(data.tokens || []);
    } catch (error) {
      if (error.status !== 401) announce(`Could not load the API tokens: ${error.message}`);
    }
  }

  function renderTokens(tokens) {
    byId('token-list').replaceChildren(...tokens.map((token) => {
      const revoke = el('button', { type: 'button', className: 'secondary', text: 'Revoke',
        'aria-label': `Revoke token ${token.name}` });
      revoke.addEventListener('click', () => revokeToken(token, revoke));
      return el('li', { dataset: { tokenId: token.id } }, el('strong', { text: token.name }), revoke,
        el('span', { className: 'token-meta', text: `created ${formatDate(token.created_at)} · ` +
          `expires ${token.expires_at ? formatDate(token.expires_at) : 'never'} · ` +
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
    const body = { name: form.elements.name.value.trim() };
    if (form.elements.expires_in.value) body.expires_in = Number(form.elements.expires_in.value);
    await busy(form.querySelector('button[type="submit"]'), async () => {
      try {
        const { data } = await api('POST', '/v1/tokens', { body });
        form.reset();
        byId('token-secret-value').textContent = data.value;
        byId('token-secret').hidden = false;
        await loadTokens();
        announce(`Token ${data.name} created. Copy it now: it is shown only once.`);
        focusElement(byId('token-secret-heading'));
      } catch (error) {
        showProblem(problemBox, error, { form });
      }
    });
  }

  function hideTokenSecret() {
    byId('token-secret-value').textContent = '';
    byId('token-secret').hidden = true;
  }

  async function revokeToken(token, button) {
    await busy(button, async () => {
      try {
        await api('DELETE', `/v1/tokens/${encodeURIComponent(token.id)}`);
        announce(`Token ${token.name} revoked.`);
      } catch (error) {
        showProblem(byId('token-problem'), error);
        return;
      }
      await loadTokens();
      focusElement(byId('tokens-heading'));
    });
  }

  // MARK: - Wiring

  function guard(handler) {
    return (event) => {
      Promise.resolve(handler(event)).catch((error) => {
        announce(`Something went wrong: ${error && error.message ? error.message : error}`);
      });
    };
  }

  function start() {
    byId('login-form').addEventListener('submit', guard((event) => {
      event.preventDefault();
      return submitCredentials(event.currentTarget, '/v1/sessions', byId('login-problem'), 'You are logged in.');
    }));
    byId('signup-form').addEventListener('submit', guard((event) => {
      event.preventDefault();
      return submitCredentials(event.currentTarget, '/v1/accounts', byId('signup-problem'),
        'Your account is ready. Add your first domain.');
    }));
    byId('logout-button').addEventListener('click', guard(logOut));
    byId('add-domain-form').addEventListener('submit', guard(addDomain));
    byId('verify-button').addEventListener('click', guard(verifyDomain));
    byId('policy-form').addEventListener('submit', guard(savePolicy));
    byId('policy-reload').addEventListener('click', guard(reloadPolicy));
    byId('mx-refresh').addEventListener('click', guard(loadMXCheck));
    byId('tlsrpt-form').addEventListener('submit', guard(saveTLSRPT));
    byId('dns-refresh').addEventListener('click', guard(async () => {
      await busy(byId('dns-refresh'), () => Promise.all([loadDNSRecords(), refreshDomain()]));
      announce('DNS records checked again.');
    }));
    byId('delete-button').addEventListener('click', openDeleteDialog);
    byId('delete-confirm').addEventListener('click', guard(confirmDelete));
    byId('delete-cancel').addEventListener('click', () => byId('delete-dialog').close());
    byId('delete-dialog').addEventListener('close', () => {
      if (!byId('domain-view').hidden && !byId('delete-panel').hidden) byId('delete-button').focus();
    });
    byId('token-form').addEventListener('submit', guard(createToken));
    byId('token-secret-done').addEventListener('click', () => {
      hideTokenSecret();
      focusElement(byId('token-name'));
    });

    const saved = sessionStorage.getItem(TOKEN_KEY);
    if (saved) {
      state.token = saved;
      showApp().catch(() => showAuth());
    } else {
      showAuth();
    }
  }

  start();
})();
