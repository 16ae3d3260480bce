/**
 * The report page's script (plain ES2017, no dependencies), embedded inline. It reads the page's
 * JSON data block and runs the trajectory viewer: run, task and trial pickers, a task list, the
 * conversation with tool calls and observations, a blueprint's node path and sub-task calls, and
 * the diff against the gold actions. Every text goes through `textContent` (never `innerHTML`),
 * so model output cannot inject markup. Heat map cells link to `#view=<run>/<task>`.
 *
 * Written as a string (not a function's source) so that bundlers and transpilers cannot change it:
 * the page's Content-Security-Policy allows exactly this script by its sha256.
 */
export const CLIENT_JS = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('taubp-data').textContent);
  var byRun = data.runs.map(function () { return {}; });
  data.episodes.forEach(function (e) {
    var tasks = byRun[e.run];
    (tasks[e.taskId] = tasks[e.taskId] || []).push(e);
  });
  var cellsByRun = data.runs.map(function () { return {}; });
  (data.cells || []).forEach(function (c) { cellsByRun[c.run][c.taskId] = c; });
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = String(text);
    return n;
  }
  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); }
  var runSel = $('v-run'), taskSel = $('v-task'), trialSel = $('v-trial');
  var list = $('v-tasks'), out = $('v-episode');
  var state = { run: 0, task: null, trial: null };

  data.runs.forEach(function (r) {
    var o = el('option', null, r.label + ' (' + r.name + ')');
    o.value = String(r.index);
    runSel.appendChild(o);
  });
  function taskIdsOf(run) {
    var ids = data.taskIds.filter(function (id) { return cellsByRun[run][id] || byRun[run][id]; });
    return ids;
  }
  function fillTasks() {
    clear(taskSel); clear(list);
    taskIdsOf(state.run).forEach(function (id) {
      var c = cellsByRun[state.run][id];
      var score = c ? c.successes + '/' + c.n : '';
      var o = el('option', null, id + (score ? '  (' + score + ')' : ''));
      o.value = id;
      taskSel.appendChild(o);
      var b = el('button', 'task-item');
      b.type = 'button';
      b.setAttribute('data-task', id);
      b.appendChild(el('span', 'task-id', id));
      var s = el('span', 'task-score ' + (c && c.n > 0 ? (c.successes === c.n ? 'ok' : (c.successes === 0 ? 'bad' : 'mixed')) : 'none'), score || 'n/a');
      b.appendChild(s);
      b.addEventListener('click', function () { open(state.run, id, null, true); });
      list.appendChild(b);
    });
  }
  function fillTrials() {
    clear(trialSel);
    var eps = byRun[state.run][state.task] || [];
    eps.forEach(function (e) {
      var o = el('option', null, 'trial ' + e.trial + ' · ' + (e.success ? 'success' : 'failure') + ' · reward ' + (e.reward === null ? 'n/a' : e.reward));
      o.value = String(e.trial);
      trialSel.appendChild(o);
    });
  }
  function kv(parent, key, value, cls) {
    var row = el('div', 'kv');
    row.appendChild(el('span', 'k', key));
    row.appendChild(el('span', 'v' + (cls ? ' ' + cls : ''), value));
    parent.appendChild(row);
  }
  function pre(text, cls) { return el('pre', cls || null, text); }
  function renderConversation(e, parent) {
    parent.appendChild(el('h3', null, 'Conversation'));
    if (e.events.length === 0) parent.appendChild(el('p', 'muted', 'No conversation recorded.'));
    var toolIndex = 0;
    e.events.forEach(function (ev) {
      var box;
      if (ev.type === 'message') {
        box = el('div', 'ev msg ' + ev.from);
        var h = el('div', 'ev-head', ev.from === 'agent' ? 'Agent' : 'User');
        if (ev.node) h.appendChild(el('span', 'node-tag', ev.node));
        box.appendChild(h);
        box.appendChild(pre(ev.text, 'text'));
      } else if (ev.type === 'tool') {
        box = el('div', 'ev tool' + (ev.error ? ' error' : ''));
        box.id = 'call-' + toolIndex;
        var th = el('div', 'ev-head', 'Tool call #' + (toolIndex + 1) + ': ');
        th.appendChild(el('code', null, ev.name));
        if (ev.error) th.appendChild(el('span', 'badge bad', 'error'));
        if (ev.node) th.appendChild(el('span', 'node-tag', ev.node));
        box.appendChild(th);
        box.appendChild(el('div', 'sub', 'Arguments'));
        box.appendChild(pre(ev.arguments, 'code'));
        if (ev.observation.length > 400) {
          var det = el('details', 'obs');
          det.appendChild(el('summary', 'sub', 'Observation (' + ev.observation.length + ' characters): ' + ev.observation.slice(0, 120) + '…'));
          det.appendChild(pre(ev.observation, 'code'));
          box.appendChild(det);
        } else {
          box.appendChild(el('div', 'sub', 'Observation'));
          box.appendChild(pre(ev.observation, 'code'));
        }
        toolIndex++;
      } else {
        box = el('div', 'ev note');
        box.appendChild(el('div', 'ev-head', 'Note: ' + ev.kind));
        box.appendChild(pre(ev.text, 'code'));
      }
      parent.appendChild(box);
    });
  }
  function renderBlueprint(e, parent) {
    if (!e.nodePath) return;
    parent.appendChild(el('h3', null, 'Blueprint node path'));
    var path = el('ol', 'node-path');
    e.nodePath.forEach(function (n) {
      var li = el('li', null);
      li.appendChild(el('code', null, n.node));
      li.appendChild(el('span', 'muted', ' ' + n.kind + (n.count > 1 ? ' ×' + n.count : '')));
      path.appendChild(li);
    });
    parent.appendChild(path);
    parent.appendChild(el('h3', null, 'Sub-task calls (' + e.subtasks.length + ')'));
    if (e.subtasks.length === 0) parent.appendChild(el('p', 'muted', 'No LLM sub-task calls in this episode.'));
    e.subtasks.forEach(function (s) {
      var box = el('details', 'subtask');
      var sum = el('summary', null);
      sum.appendChild(el('code', null, s.node));
      sum.appendChild(document.createTextNode(' · ' + s.task + (s.attempt > 0 ? ' (attempt ' + (s.attempt + 1) + ')' : '')));
      if (s.error) sum.appendChild(el('span', 'badge bad', 'error'));
      box.appendChild(sum);
      box.appendChild(el('div', 'sub', 'Input'));
      box.appendChild(pre(s.input, 'code'));
      box.appendChild(el('div', 'sub', s.error ? 'Error' : 'Answer'));
      box.appendChild(pre(s.error || (s.answer === null ? '(no answer)' : s.answer), 'code'));
      parent.appendChild(box);
    });
  }
  function goldNote(run) {
    var n = (data.goldNotes || []).filter(function (g) { return g.run === run; })[0];
    return n ? n.note : 'gold actions unavailable';
  }
  function renderGold(e, parent) {
    parent.appendChild(el('h3', null, 'Against the gold actions'));
    if (!e.gold) { parent.appendChild(el('p', 'warn', goldNote(e.run))); return; }
    var t = el('table', 'gold');
    var head = el('tr', null);
    ['#', 'Gold action and arguments', 'Status', 'Agent call'].forEach(function (h, i) { head.appendChild(el('th', i === 0 || i === 3 ? 'n' : null, h)); });
    var thead = el('thead', null); thead.appendChild(head); t.appendChild(thead);
    var body = el('tbody', null);
    if (e.gold.actions.length === 0) {
      var r0 = el('tr', null); var td0 = el('td', 'muted', 'The task has no gold actions (nothing to change).'); td0.colSpan = 4; r0.appendChild(td0); body.appendChild(r0);
    }
    e.gold.actions.forEach(function (a, i) {
      var r = el('tr', 'st-' + a.status.replace(/ /g, '-'));
      r.appendChild(el('td', 'n', i + 1));
      var name = el('td', null); name.appendChild(el('code', 'name', a.name)); name.appendChild(el('pre', 'code args', a.kwargs)); r.appendChild(name);
      r.appendChild(el('td', null, a.status));
      r.appendChild(el('td', 'n', a.call === null ? '—' : '#' + (a.call + 1)));
      body.appendChild(r);
    });
    t.appendChild(body);
    parent.appendChild(t);
    if (e.gold.extra.length > 0) parent.appendChild(el('p', 'muted', 'Tool calls not in the gold actions: ' + e.gold.extra.map(function (i) { return '#' + (i + 1); }).join(', ')));
    if (e.gold.outputs.length > 0) {
      var ul = el('ul', 'outputs');
      e.gold.outputs.forEach(function (o) {
        ul.appendChild(el('li', o.found === false ? 'bad' : (o.found ? 'ok' : null), 'Required output "' + o.text + '": ' + (o.found === null ? 'not checked' : (o.found ? 'given' : 'missing'))));
      });
      parent.appendChild(ul);
    }
  }
  function omittedNote(run) {
    var o = (data.omitted || []).filter(function (x) { return x.run === run; })[0];
    return o ? o.episodes + ' episode(s) of this run are not embedded in the page (over its size cap); read them in ' + data.runs[run].dir + '/episodes.jsonl.' : '';
  }
  function render() {
    clear(out);
    var eps = byRun[state.run][state.task] || [];
    var e = eps.filter(function (x) { return String(x.trial) === String(state.trial); })[0] || eps[0];
    Array.prototype.forEach.call(list.children, function (b) { b.classList.toggle('active', b.getAttribute('data-task') === state.task); });
    if (!e) {
      out.appendChild(el('p', 'warn', state.task === null ? 'No task selected.' : 'No trajectory of task ' + state.task + ' in this page. ' + omittedNote(state.run)));
      return;
    }
    var run = data.runs[e.run];
    var head = el('div', 'ep-head');
    head.appendChild(el('h3', null, e.taskId + ' · trial ' + e.trial));
    head.appendChild(el('span', 'badge ' + (e.success ? 'ok' : 'bad'), e.success ? 'success' : 'failure'));
    out.appendChild(head);
    var meta = el('div', 'ep-meta');
    kv(meta, 'Run', run.label + ' (' + run.name + ')');
    kv(meta, 'Reward', e.reward === null ? 'not scored' : String(e.reward));
    kv(meta, 'Ended', e.termination);
    if (e.failure) kv(meta, 'Failure', e.failure);
    out.appendChild(meta);
    if (e.truncated) out.appendChild(el('p', 'warn', 'Parts of this episode are cut to keep the page small (long texts, many events); the full record is in ' + run.dir + '/episodes.jsonl.'));
    var cols = el('div', 'ep-cols');
    var left = el('div', 'ep-main'), right = el('div', 'ep-side');
    renderConversation(e, left);
    renderGold(e, right);
    renderBlueprint(e, right);
    cols.appendChild(left); cols.appendChild(right);
    out.appendChild(cols);
  }
  function open(run, task, trial, scroll) {
    if (!data.runs[run]) return;
    if (state.run !== run) { state.run = run; runSel.value = String(run); fillTasks(); }
    state.task = task; taskSel.value = task;
    fillTrials();
    var eps = byRun[run][task] || [];
    state.trial = trial !== null && trial !== undefined ? String(trial) : (eps[0] ? String(eps[0].trial) : null);
    if (state.trial !== null) trialSel.value = state.trial;
    render();
    if (scroll) $('viewer').scrollIntoView({ block: 'start' });
  }
  function fromHash(hash) {
    var m = /^#view=(\d+)\/([^\/]*)(?:\/(\d+))?$/.exec(hash);
    if (!m) return false;
    open(Number(m[1]), decodeURIComponent(m[2]), m[3] === undefined ? null : m[3], true);
    return true;
  }
  runSel.addEventListener('change', function () {
    state.run = Number(runSel.value); fillTasks();
    var first = taskIdsOf(state.run)[0];
    open(state.run, first === undefined ? null : first, null, false);
  });
  taskSel.addEventListener('change', function () { open(state.run, taskSel.value, null, false); });
  trialSel.addEventListener('change', function () { state.trial = trialSel.value; render(); });
  document.addEventListener('click', function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a') : null;
    if (!a) return;
    var href = a.getAttribute('href') || a.getAttribute('xlink:href') || '';
    if (href.indexOf('#view=') !== 0) return;
    ev.preventDefault();
    if (history.replaceState) history.replaceState(null, '', href);
    fromHash(href);
  });
  window.addEventListener('hashchange', function () { fromHash(location.hash); });
  fillTasks();
  if (!fromHash(location.hash)) {
    var first = taskIdsOf(0)[0];
    if (first !== undefined) open(0, first, null, false);
  }
})();
`;
