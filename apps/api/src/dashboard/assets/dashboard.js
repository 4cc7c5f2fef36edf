// The dashboard reads the same public API as everyone else, with the token pasted here.
(function () {
  const tokenBox = document.getElementById('token');
  const errorBox = document.getElementById('error');
  tokenBox.value = sessionStorage.getItem('ssc-token') || '';

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : String(text);
    if (className) td.className = className;
    return td;
  }

  async function api(path) {
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + tokenBox.value.trim() } });
    const body = await response.json();
    if (!response.ok) throw Object.assign(new Error(body.message || response.statusText), { status: response.status, code: body.code });
    return body;
  }

  function fill(tableId, rows, toCells) {
    const body = document.querySelector('#' + tableId + ' tbody');
    body.replaceChildren();
    for (const row of rows) {
      const tr = document.createElement('tr');
      for (const td of toCells(row)) tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  function workflowCell(department) {
    const td = document.createElement('td');
    if (department.links && department.links.workflow) {
      const a = document.createElement('a');
      a.href = department.links.workflow;
      a.textContent = department.workflowId;
      td.appendChild(a);
    } else {
      td.textContent = department.workflowId;
    }
    return td;
  }

  async function show() {
    errorBox.textContent = '';
    sessionStorage.setItem('ssc-token', tokenBox.value.trim());
    try {
      const departments = await api('/api/departments');
      fill('departments', departments, (d) => [
        cell(d.code),
        cell(d.name),
        cell(d.centre),
        cell(d.stage),
        cell(d.plannedGoLive),
        cell(d.actualGoLive),
        cell(d.paused ? 'paused' : d.overdue ? 'overdue' : 'on time', d.paused ? 'paused' : d.overdue ? 'overdue' : ''),
        workflowCell(d),
      ]);
      const stuck = await api('/api/operations/stuck').catch((error) => (error.status === 403 || error.status === 404 ? [] : Promise.reject(error)));
      fill('stuck', stuck, (s) => [cell(s.code), cell(s.stage), cell(s.reason), cell(s.since)]);
      const savings = await api('/api/reports/savings');
      const list = document.getElementById('savings');
      list.replaceChildren();
      const totals = [
        ['Savings caused by the programme', savings.totals.programmeSavingsGbp],
        ['Reductions caused by spending constraints', savings.totals.spendingConstraintReductionsGbp],
        ['Implementation cost', savings.totals.implementationCostGbp],
        ['Net programme savings', savings.totals.netProgrammeSavingsGbp],
      ];
      for (const [label, pounds] of totals) {
        const dt = document.createElement('dt');
        dt.textContent = label;
        const dd = document.createElement('dd');
        dd.textContent = '£' + Number(pounds).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        list.append(dt, dd);
      }
      document.getElementById('board').hidden = false;
    } catch (error) {
      errorBox.textContent = error.code === 'unauthenticated' || error.code === 'invalid-token' ? 'That token was not accepted.' : error.message;
    }
  }

  document.getElementById('use-token').addEventListener('click', show);
  if (tokenBox.value) show();
})();
