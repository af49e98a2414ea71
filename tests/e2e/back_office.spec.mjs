// Browser tests of the back office, as a person uses it: Debian's Chromium driven by
// playwright-core (which downloads no browser). Run by scripts/e2e.sh, which starts one
// `octroi serve` on a fresh demonstration database per flow and passes their URLs:
//   E2E_PLAN_URL       flow a: the instructeur sends EX070158 back to instruction, edits its plan
//   E2E_ADOPTION_URL   flow b: the greffe adopts CP 2023-040, the dashboard's allocations move
//   E2E_REFUSALS_URL   flow c: wrong password, keyboard-only login, what the lecteur cannot do
//   (flows f and g run on flow a's server after it: the workspace, then an approval chain)
//   E2E_COMPOSITION_URL flow d: on `octroi demo --without-report`, the greffe composes CP 2023-040
//                      (four articles typed through the forms), checks the AE/AP control, adopts
//   E2E_PARTIES        the output of `octroi party list --json` (the party numbers flow d types)
//   E2E_PORTAL_URL     flow h: the applicant portal, whose e-mails reach the SMTP sink
//   E2E_MAILDIR        the sink's directory (one .eml per e-mail)
//   E2E_ACCOUNTS       optional: the output of `octroi demo --list-accounts` (logins, passwords)
//   E2E_ARTIFACTS      where screenshots go (build/e2e-artifacts by default)
//   E2E_CHROMIUM       the browser (/usr/bin/chromium by default)
//   E2E_TMPDIR         where the browser profiles go (one fresh profile per flow)
// A flow stops at its first failing step (the next ones depend on it); the others still run.
// Exit status: 0 when every step passed, 1 otherwise.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, readdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.resolve(process.env.E2E_ARTIFACTS || 'build/e2e-artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const STEP_TIMEOUT_MS = 15000;

// French figures as octroi prints them: U+202F between groups of digits, U+00A0 before € and %.
const NNBSP = '\u202f';
const NBSP = '\u00a0';
const eur = (s) => s.replace(/ /g, NNBSP) + NBSP + '€';
const pct = (s) => s + NBSP + '%';
// "5 490 000,00 €" -> 549000000 (cents).
function cents(text) {
  const m = text.replace(/[\u202f\u00a0 €]/g, '').match(/^(-?)(\d+),(\d\d)$/);
  assert.ok(m, `not a French amount in euros: ${JSON.stringify(text)}`);
  const c = Number(m[2]) * 100 + Number(m[3]);
  return m[1] ? -c : c;
}
// 549000000 -> "5 490 000,00 €".
function euros(c) {
  const a = Math.abs(c);
  const whole = String(Math.trunc(a / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP);
  return (c < 0 ? '-' : '') + whole + ',' + String(a % 100).padStart(2, '0') + NBSP + '€';
}

// The demonstration's accounts (`octroi demo --list-accounts`); E2E_ACCOUNTS overrides them.
const accounts = {
  admin: 'demo-admin-2023',
  instructeur: 'demo-instructeur-2023',
  chef: 'demo-chef-2023',
  greffe: 'demo-greffe-2023',
  lecteur: 'demo-lecteur-2023',
  finances: 'demo-finances-2023',
};
for (const line of (process.env.E2E_ACCOUNTS || '').split('\n')) {
  const m = line.match(/^\s*(\S+) \/ (\S+) — /);
  if (m) accounts[m[1]] = m[2];
}

function url(envName) {
  const u = process.env[envName];
  if (!u) throw new Error(`${envName} is not set: run the tests through scripts/e2e.sh`);
  return u.replace(/\/+$/, '');
}

// ---------------------------------------------------------------------------------------------
// A tiny runner: flows of named steps, a screenshot after each, a summary at the end.

const results = []; // {flow, step, status: 'passed'|'failed'|'skipped', error?}
let shot = 0;

function slug(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

async function screenshot(page, flow, name) {
  shot += 1;
  const file = path.join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${flow}-${slug(name)}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true, timeout: STEP_TIMEOUT_MS });
    return file;
  } catch (e) {
    console.error(`  (no screenshot ${path.basename(file)}: ${e.message.split('\n')[0]})`);
    return null;
  }
}

// `context`: more options of the browser context; `keepGoing`: the steps do not depend on each
// other (a failure does not skip the next ones).
async function runFlow(flow, title, baseUrl, steps, { context: contextOptions = {}, keepGoing = false } = {}) {
  console.log(`\n${flow}. ${title} — ${baseUrl}`);
  const profile = mkdtempSync(path.join(process.env.E2E_TMPDIR || tmpdir(), `chromium-${flow}-`));
  let context;
  const problems = []; // page errors and server errors seen during the current step
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      locale: 'fr-FR',
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
      ...contextOptions,
    });
  } catch (e) {
    results.push({ flow, step: 'launch Chromium', status: 'failed', error: e });
    console.log(`  FAIL launch Chromium (${CHROMIUM}): ${e.message.split('\n')[0]}`);
    for (const [name] of steps) results.push({ flow, step: name, status: 'skipped' });
    removeProfile(profile);
    return;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  const t = { page, base: baseUrl, flow, snap: (name) => screenshot(page, flow, name) };
  let failed = false;
  for (const [name, fn] of steps) {
    if (failed) {
      results.push({ flow, step: name, status: 'skipped' });
      console.log(`  skip ${name}`);
      continue;
    }
    const started = Date.now();
    problems.length = 0;
    try {
      await fn(t);
      assert.deepEqual(problems, [], 'the browser or the server reported errors');
      await screenshot(page, flow, name);
      results.push({ flow, step: name, status: 'passed' });
      console.log(`  ok   ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed = !keepGoing;
      const file = await screenshot(page, flow, `FAIL ${name}`);
      results.push({ flow, step: name, status: 'failed', error: e });
      console.log(`  FAIL ${name}\n       at ${page.url()}\n       ${indent(e.message)}` +
        (file ? `\n       screenshot: ${file}` : ''));
    }
  }
  await context.close().catch(() => {});
  removeProfile(profile);
}

function removeProfile(dir) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  } catch (e) {
    console.error(`  (profile ${dir} not removed: ${e.message})`);
  }
}

function indent(s) {
  return String(s).split('\n').slice(0, 12).join('\n       ');
}

// ---------------------------------------------------------------------------------------------
// Page helpers. Everything is found the way a person (or a screen reader) finds it: by role,
// label, caption and visible text.

async function login(page, base, who, password = accounts[who]) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Identifiant').fill(who);
  await page.getByLabel('Mot de passe').fill(password);
  await clickAndLoad(page, page.getByRole('button', { name: 'Se connecter' }));
}

// Polls until the locator's text (trimmed) equals `expected`; fails with both texts.
async function expectText(locator, expected, what) {
  const deadline = Date.now() + 5000;
  let actual;
  for (;;) {
    actual = ((await locator.first().textContent({ timeout: STEP_TIMEOUT_MS })) ?? '').trim();
    if (actual === expected) return;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what}: expected ${JSON.stringify(expected)}, the page shows ` +
    `${JSON.stringify(actual)}`);
}

async function expectContains(locator, fragment, what) {
  const text = ((await locator.first().textContent({ timeout: STEP_TIMEOUT_MS })) ?? '').trim();
  assert.ok(text.includes(fragment),
    `${what}: expected to contain ${JSON.stringify(fragment)}, the page shows ` +
    `${JSON.stringify(text)}`);
}

async function expectAbsent(locator, what) {
  const n = await locator.count();
  assert.equal(n, 0, `${what}: expected none on the page, found ${n}`);
}

async function expectHeading(page, text) {
  await expectText(page.getByRole('heading', { level: 1 }), text, 'page heading');
}

// The success notice (role=status) and the absence of a refusal.
async function expectNotice(page, text) {
  await expectAbsent(page.getByRole('alert'), 'refusal box');
  await expectText(page.getByRole('status'), text, 'notice');
}

// A table found by its caption, as rows of trimmed cell texts (th and td), body rows only.
async function tableRows(page, caption) {
  const table = page.getByRole('table', { name: caption });
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
}

async function state(page) {
  return ((await page.locator('p:has-text("État :") strong').first().textContent()) ?? '').trim();
}

// The dossier's plan: {expenses: [{label, amount, share}], expenseTotal, expenseShares, ...}.
async function plan(page) {
  const side = async (caption) => {
    const rows = await tableRows(page, caption);
    const total = rows.find((r) => r[0] === 'Total');
    assert.ok(total, `table ${caption}: no Total row`);
    return {
      lines: rows.filter((r) => r[0] !== 'Total')
        .map((r) => ({ position: r[0], label: r[1], amount: r[2], share: r[3] })),
      total: total[1],
      shares: total[2],
    };
  };
  return { expenses: await side(/^Dépenses/), resources: await side('Recettes') };
}

// The dashboard's budget lines: {"2023/16300302": {voted, allocated, ..., available}}.
async function budgetLines(page) {
  const table = page.getByRole('table', { name: 'Lignes budgétaires (AE/AP et CP)' });
  await table.waitFor();
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
    [tr.querySelector('th a')?.textContent.trim() ?? '',
      ...[...tr.querySelectorAll('td')].map((c) => c.textContent.trim())]));
  const out = {};
  for (const r of rows) {
    const key = r[0];
    out[key] = { voted: r[2], allocated: r[3], committed: r[4], paid: r[5], available: r[6],
      cpVoted: r[7] };
  }
  return out;
}

async function dossiersByState(page) {
  const out = {};
  for (const [label, count] of await tableRows(page, 'Dossiers par état')) out[label] = count;
  return out;
}

// Clicks and waits for the page that the click loads.
async function clickAndLoad(page, locator) {
  await Promise.all([page.waitForEvent('framenavigated', (f) => f === page.mainFrame()),
    locator.click()]);
  await page.waitForLoadState('load');
}

// ---------------------------------------------------------------------------------------------
// Flow a: the instructeur sends EX070158 back to instruction and edits its plan.

const planFlow = [
  ['instructeur logs in', async ({ page, base }) => {
    await login(page, base, 'instructeur');
    await expectHeading(page, 'Tableau de bord');
    await expectContains(page.locator('header'), '(instructeur)', 'header (who is logged in)');
  }],
  ['opens EX070158 from the list of dossiers', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Dossiers' }));
    await expectHeading(page, 'Dossiers');
    await clickAndLoad(page, page.getByRole('link', { name: 'EX070158', exact: true }));
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /^Dossier EX070158/);
  }],
  ['sees the plan as proposed: shares, totals, base, award', async ({ page }) => {
    assert.equal(await state(page), 'proposé en commission', 'state of EX070158');
    const p = await plan(page);
    assert.deepEqual(p.expenses.lines.map((l) => [l.amount, l.share]), [
      [eur('10 117,08'), pct('51,62')], [eur('2 200,20'), pct('11,23')],
      [eur('4 400,40'), pct('22,45')], [eur('2 882,32'), pct('14,71')]], 'expense lines');
    assert.equal(p.expenses.total, eur('19 600,00'), 'expenses total');
    assert.equal(p.expenses.shares, pct('100,01'), 'sum of the expense shares (rounded)');
    assert.deepEqual(p.resources.lines.map((l) => [l.label, l.amount, l.share]), [
      ['Autofinancement', eur('8 600,00'), pct('43,88')], ['Région', eur('8 000,00'), pct('40,82')],
      ['ANCT', eur('3 000,00'), pct('15,31')]], 'resource lines');
    assert.equal(p.resources.total, eur('19 600,00'), 'resources total');
    assert.equal(p.resources.shares, pct('100,01'), 'sum of the resource shares (rounded)');
    await expectText(page.locator('#base'), eur('16 717,68'), 'eligible base');
    await expectText(page.locator('#award'), eur('8 000,00'), 'award (50 % capped at 8 000)');
    // Proposed to the commission: the plan is frozen, so there is no form to change it.
    await expectAbsent(page.getByRole('button', { name: 'Enregistrer le plan (tout ou rien)' }),
      'plan form while proposed');
    await expectAbsent(page.locator('input[name="expense-1"]'), 'plan inputs while proposed');
  }],
  ['is refused a return to instruction without a motif', async ({ page }) => {
    await page.getByLabel('Événement').selectOption({ label: 'retour en instruction' });
    await page.getByLabel(/^Motif/).fill('');
    await clickAndLoad(page, page.getByRole('button', { name: 'Appliquer' }));
    await expectContains(page.getByRole('alert'),
      'Un motif est obligatoire pour : retour en instruction.', 'refusal');
    assert.equal(await state(page), 'proposé en commission', 'state after the refusal');
  }],
  ['sends it back to instruction with a motif', async ({ page }) => {
    await page.getByLabel('Événement').selectOption({ label: 'retour en instruction' });
    await page.getByLabel(/^Motif/).fill('Dépenses d\'abonnement surévaluées (devis révisé)');
    await clickAndLoad(page, page.getByRole('button', { name: 'Appliquer' }));
    await expectNotice(page, 'Le dossier a avancé.');
    assert.equal(await state(page), 'en instruction', 'state after the return');
    const history = await tableRows(page, 'Événements du dossier');
    assert.ok(history.some((r) => r.includes('Dépenses d\'abonnement surévaluées (devis révisé)')),
      `the motif is in the history: ${JSON.stringify(history)}`);
    await page.getByRole('button', { name: 'Enregistrer le plan (tout ou rien)' }).waitFor();
  }],
  ['sees the totals follow the amounts as they are typed (script)', async ({ page }) => {
    // The inputs show the amounts the French way; the live line follows each keystroke.
    assert.equal(await page.getByLabel('Nouveau montant de la dépense 1').inputValue(),
      '10' + NNBSP + '117,08', 'expense 1 prefilled the French way');
    const live = page.locator('[data-plan-live]');
    await expectContains(live, 'plan équilibré', 'balanced as loaded');
    await page.getByLabel('Nouveau montant de la dépense 1').fill('5117,08');
    await expectContains(live, `dépenses ${eur('14 600,00')}`, 'live total of expenses');
    await expectContains(live, `recettes supérieures de ${eur('5 000,00')} aux dépenses`, 'live gap');
    await expectContains(live, `base subventionnable ${eur('11 717,68')}`, 'live base');
    await page.getByLabel('Nouveau montant de la dépense 1').fill('10 117,08');
    await expectContains(live, 'plan équilibré', 'balanced again');
  }],
  ['is refused an unbalanced plan (one expense changed alone)', async ({ page }) => {
    await page.getByLabel('Nouveau montant de la dépense 1').fill('5117,08');
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer le plan (tout ou rien)' }));
    await expectContains(page.getByRole('alert'), 'n\'est pas équilibré', 'refusal');
    const p = await plan(page);
    assert.equal(p.expenses.lines[0].amount, eur('10 117,08'), 'expense 1 unchanged (all or none)');
    assert.equal(p.expenses.total, eur('19 600,00'), 'expenses total unchanged');
    await expectText(page.locator('#award'), eur('8 000,00'), 'award unchanged');
  }],
  ['lowers expense 1 and Autofinancement together, and saves', async ({ page }) => {
    await page.getByLabel('Nouveau montant de la dépense 1').fill('5117,08');
    await page.getByLabel('Nouveau montant de la recette 1').fill('3600,00');
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer le plan (tout ou rien)' }));
    await expectNotice(page, 'Plan de financement enregistré.');
  }],
  ['sees the new shares, totals, base and award', async ({ page }) => {
    const p = await plan(page);
    // 19 600,00 - 5 000,00 = 14 600,00 on each side; shares of 14 600,00, rounded to 0,01 %.
    assert.deepEqual(p.expenses.lines.map((l) => [l.amount, l.share]), [
      [eur('5 117,08'), pct('35,05')], [eur('2 200,20'), pct('15,07')],
      [eur('4 400,40'), pct('30,14')], [eur('2 882,32'), pct('19,74')]], 'expense lines');
    assert.equal(p.expenses.total, eur('14 600,00'), 'expenses total');
    assert.equal(p.expenses.shares, pct('100,00'), 'sum of the expense shares');
    assert.deepEqual(p.resources.lines.map((l) => [l.label, l.amount, l.share]), [
      ['Autofinancement', eur('3 600,00'), pct('24,66')], ['Région', eur('8 000,00'), pct('54,79')],
      ['ANCT', eur('3 000,00'), pct('20,55')]], 'resource lines');
    assert.equal(p.resources.total, eur('14 600,00'), 'resources total');
    assert.equal(p.resources.shares, pct('100,00'), 'sum of the resource shares');
    // Base: 5 117,08 + 2 200,20 + 4 400,40 (line 4 is not eligible) = 11 717,68;
    // 50 % = 5 858,84, under the 8 000,00 cap, so the award is 5 858,84 and no cap step shows.
    await expectText(page.locator('#base'), eur('11 717,68'), 'eligible base');
    await expectText(page.locator('#award'), eur('5 858,84'), 'award (50 %, under the cap)');
    const steps = await page.locator('h2:has-text("Aide") ~ ol li').allTextContents();
    assert.ok(steps.some((s) => s.includes(`${eur('11 717,68')} TTC × 50${NBSP}% = ${eur('5 858,84')}`)),
      `explanation of the award: ${JSON.stringify(steps)}`);
    assert.ok(!steps.some((s) => s.startsWith('Plafond')), `no cap applied: ${JSON.stringify(steps)}`);
    // The inputs now hold the saved amounts, written the French way.
    assert.equal(await page.getByLabel('Nouveau montant de la dépense 1').inputValue(),
      '5' + NNBSP + '117,08');
    assert.equal(await page.getByLabel('Nouveau montant de la recette 1').inputValue(),
      '3' + NNBSP + '600,00');
  }],
  ['sees the new base and award in the list of dossiers', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('link', { name: 'Dossiers', exact: true }));
    const row = (await tableRows(page, /dossier\(s\)/)).find((r) => r[0] === 'EX070158');
    assert.ok(row, 'EX070158 is listed');
    assert.deepEqual([row[3], row[5], row[6]], ['en instruction', eur('11 717,68'), eur('5 858,84')],
      'state, base and award of EX070158 in the list');
  }],
];

// ---------------------------------------------------------------------------------------------
// Flow b: the greffe adopts CP 2023-040; the budget lines' allocations follow its articles.

let allocatedBefore;
let articles;
const adoptionFlow = [
  ['greffe logs in and notes the allocated amounts', async ({ page, base }) => {
    await login(page, base, 'greffe');
    await expectHeading(page, 'Tableau de bord');
    await expectContains(page.locator('header'), '(secrétariat des assemblées)', 'header');
    const lines = await budgetLines(page);
    allocatedBefore = Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, v.allocated]));
    assert.deepEqual(allocatedBefore, {
      '2022/15600105': eur('78 400,00'), '2023/16100107': eur('0,00'),
      '2023/16200102': eur('0,00'), '2023/16300302': eur('0,00'),
    }, 'allocated before the adoption');
    assert.deepEqual(await dossiersByState(page), { 'attribué': '1', 'proposé en commission': '3' },
      'dossiers by state before the adoption');
  }],
  ['opens CP 2023-040 from the reports', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('link', { name: 'Séances et rapports', exact: true }));
    await expectHeading(page, 'Séances et rapports');
    await clickAndLoad(page, page.getByRole('link', { name: 'CP 2023-040', exact: true }));
    await expectHeading(page, 'Rapport CP 2023-040');
    assert.equal(await state(page), 'en préparation', 'state of the report');
    // Each article: "Article N — kind", then "Ligne YYYY/ACTION : amount".
    articles = await page.locator('main h2', { hasText: /^Article / }).evaluateAll((hs) => hs.map((h) => {
      let p = h.nextElementSibling;
      while (p && !/^Ligne /.test(p.textContent)) p = p.nextElementSibling;
      return { heading: h.textContent.trim(), line: p ? p.textContent.trim() : '' };
    }));
    assert.equal(articles.length, 4, `four articles: ${JSON.stringify(articles)}`);
    await expectText(page.locator('main h2:has-text("Article 4") + p + p + ul li'),
      `EX065392 — SAS SCIC Casaco : ${eur('78 400,00')}`, 'article 4 before the transfer');
    // Article 2's amount is the sum of its dossiers' awards.
    const article2 = await page.locator('main h2:has-text("Article 2") + p + p + ul li').allTextContents();
    const sum = article2.reduce((s, li) => s + cents(li.split(' : ').pop()), 0);
    assert.equal(euros(sum), articles[1].line.split(' : ')[1], 'article 2 = sum of its dossiers');
  }],
  ['adopts the report', async ({ page }) => {
    await page.getByLabel(/Je confirme que la commission a adopté ce rapport/).check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer l\'adoption (tout ou rien)' }));
    await expectNotice(page, 'Adoption enregistrée.');
    assert.equal(await state(page), 'adopté', 'state of the report after the adoption');
    await expectAbsent(page.getByRole('button', { name: /Enregistrer l'adoption/ }),
      'adoption button once adopted');
    // Article 4 transferred the award of EX065392 to its new beneficiary.
    await expectText(page.locator('main h2:has-text("Article 4") + p + p + ul li'),
      `EX065392 — SCI 6 avenue JJ : ${eur('78 400,00')}`, 'article 4 after the transfer');
  }],
  ['sees the allocated amounts follow the articles on the dashboard', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('link', { name: 'Tableau de bord', exact: true }));
    await expectHeading(page, 'Tableau de bord');
    // Expected: before + each article's amount on its line, but for a transfer amendment, which
    // moves an award already allocated to another beneficiary (the line's allocation is unchanged).
    const expected = { ...allocatedBefore };
    for (const a of articles) {
      const m = a.line.match(/^Ligne (\S+) : (.+)$/);
      assert.ok(m, `article line: ${JSON.stringify(a)}`);
      if (/avenant de transfert/.test(a.heading)) continue;
      expected[m[1]] = euros(cents(expected[m[1]]) + cents(m[2]));
    }
    assert.deepEqual(expected, {
      '2022/15600105': eur('78 400,00'), '2023/16100107': eur('24 500,00'),
      '2023/16200102': eur('5 490 000,00'), '2023/16300302': eur('23 000,00'),
    }, 'what the articles of CP 2023-040 add up to');
    const lines = await budgetLines(page);
    const allocated = Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, v.allocated]));
    assert.deepEqual(allocated, expected, 'allocated after the adoption');
    for (const [k, v] of Object.entries(lines))
      assert.equal(v.available, euros(cents(v.voted) - cents(v.allocated)), `available on ${k}`);
    assert.deepEqual(await dossiersByState(page), { 'attribué': '4' },
      'dossiers by state after the adoption');
  }],
  ['sees the allocation in the journal of line 2023/16300302', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('link', { name: '2023/16300302', exact: true }));
    await expectHeading(page, 'Ligne 2023/16300302');
    const rows = await tableRows(page, 'Journal de la ligne');
    // Columns: N°, Date, Mouvement, Montant, Référence, Libellé. The adoption wrote one
    // allocation per dossier of article 2, referenced to the report.
    const allocations = rows.filter((r) => r[4] === 'CP 2023-040');
    assert.deepEqual(allocations.map((r) => [r[2], r[3], r[5].match(/EX\d+/)?.[0]]), [
      ['affectation', eur('7 000,00'), 'EX070162'], ['affectation', eur('8 000,00'), 'EX070158'],
      ['affectation', eur('8 000,00'), 'EX069984']], `the report's entries: ${JSON.stringify(rows)}`);
    const total = allocations.reduce((s, r) => s + cents(r[3]), 0);
    assert.equal(euros(total), eur('23 000,00'), 'they add up to the line\'s allocation');
  }],
  ['asks for the deliberation as a PDF: a job page at once, then the download', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('link', { name: 'Séances et rapports', exact: true }));
    await clickAndLoad(page, page.getByRole('link', { name: 'CP 2023-040', exact: true }));
    await expectHeading(page, 'Rapport CP 2023-040');
    const item = page.locator('main li', { hasText: /^Projet de délibération/ });
    // The link answers at once with the job's page (LibreOffice runs in the background): its
    // state, and its progress while it runs; the page refreshes itself until the file is ready.
    const started = Date.now();
    await clickAndLoad(page, item.getByRole('link', { name: 'PDF', exact: true }));
    assert.ok(Date.now() - started < 5000, `the job page came in ${Date.now() - started} ms`);
    assert.match(page.url(), /\/travaux\/\d+$/, 'the job\'s page');
    await expectContains(page.getByRole('heading', { level: 1 }),
      '« deliberation.pdf » du rapport CP 2023-040', 'job heading');
    await expectContains(page.getByRole('status'), 'État :', 'job state');
    const ready = page.getByRole('link', { name: 'Télécharger deliberation.pdf' });
    await ready.waitFor({ timeout: 120000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      ready.click(),
    ]);
    assert.equal(download.suggestedFilename(), 'deliberation.pdf', 'file name');
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF (LibreOffice ran)');
    assert.ok(bytes.length > 10000, `a PDF of some size: ${bytes.length} bytes`);
  }],
];

// ---------------------------------------------------------------------------------------------
// Flow d: on a demonstration without report CP 2023-040 (`octroi demo --without-report`), the
// greffe composes it through the forms, as the deliberation of 25 January 2023 reads
// (tests/fixtures/cp-2023-040.md), checks the AE/AP control, adopts it and finds on the
// dashboard the same allocations as flow b.

// The register of parties (`octroi party list --json`): the article form asks for their numbers.
function partyNumber(legalName) {
  const parties = JSON.parse(process.env.E2E_PARTIES || '[]');
  const p = parties.find((x) => x.legal_name === legalName);
  assert.ok(p, `party ${legalName} in E2E_PARTIES (run the tests through scripts/e2e.sh)`);
  return String(p.id);
}

const REPORT_CAPTION = 'Rapports';
const CHECK_CAPTION = 'Par ligne : ce que le vote affecterait et ce qui reste disponible';

// Fills the "Ajouter un article" form and submits it; the fields an article does not use stay
// empty. Expects the notice and the new article's heading and line.
async function addArticle(page, a) {
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Ajouter l\'article' }) });
  await form.getByLabel('Nature de l\'article').selectOption(a.kind);
  await form.getByLabel('Intitulé', { exact: true }).fill(a.title);
  await form.getByLabel('Ligne budgétaire').selectOption(a.line);
  await form.getByLabel('Montant affecté').fill(a.amount);
  if (a.scheme) await form.getByLabel(/^Dispositif/).selectOption(a.scheme);
  for (const d of a.dossiers ?? []) await form.getByLabel(d, { exact: true }).check();
  if (a.party) await form.getByLabel(/^Tiers/).selectOption(String(a.party));
  if (a.plannedTotal) await form.getByLabel(/^Montant total prévu/).fill(a.plannedTotal);
  if (a.rate) await form.getByLabel(/^Taux de la tranche/).fill(a.rate);
  if (a.transferred) await form.getByLabel(/^Dossier transféré/).fill(a.transferred);
  await clickAndLoad(page, form.getByRole('button', { name: 'Ajouter l\'article' }));
  await expectNotice(page, 'Article ajouté.');
  const h = page.locator('main h2', { hasText: new RegExp(`^Article ${a.position} — `) });
  await expectText(h, `Article ${a.position} — ${a.heading}`, `heading of article ${a.position}`);
  await expectText(page.locator(`main h2:has-text("Article ${a.position} —") + p`), a.title,
    `title of article ${a.position}`);
  await expectText(page.locator(`main h2:has-text("Article ${a.position} —") + p + p`),
    `Ligne ${a.line} : ${a.shown}`, `line and amount of article ${a.position}`);
}

const compositionFlow = [
  ['greffe logs in: nothing allocated on 2023, three dossiers proposed', async ({ page, base }) => {
    await login(page, base, 'greffe');
    await expectHeading(page, 'Tableau de bord');
    await expectContains(page.locator('header'), '(secrétariat des assemblées)', 'header');
    const lines = await budgetLines(page);
    assert.deepEqual(Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, v.allocated])), {
      '2022/15600105': eur('78 400,00'), '2023/16100107': eur('0,00'),
      '2023/16200102': eur('0,00'), '2023/16300302': eur('0,00'),
    }, 'allocated before the report');
    assert.deepEqual(await dossiersByState(page), { 'attribué': '1', 'proposé en commission': '3' },
      'dossiers by state before the report');
  }],
  ['creates report CP 2023-040 for the committee of 25 January 2023', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('link', { name: 'Séances et rapports', exact: true }));
    await expectHeading(page, 'Séances et rapports');
    assert.deepEqual((await tableRows(page, REPORT_CAPTION)).map((r) => r[0]), ['CP 2022-285'],
      'only the 2022 report exists');
    await page.getByLabel('Numéro').fill('CP 2023-040');
    await page.getByLabel('Intitulé').fill('Attractivité et aménagement économique');
    await page.getByLabel('Instance').selectOption({ label: 'commission permanente' });
    await page.getByLabel('Date de la séance').fill('2023-01-25');
    await clickAndLoad(page, page.getByRole('button', { name: 'Créer le rapport' }));
    await expectHeading(page, 'Rapport CP 2023-040');
    assert.equal(await state(page), 'en préparation', 'state of the new report');
    // (The report's own title is checked in the list of reports: the page's first paragraph
    // prints the page title, "Rapport CP 2023-040", in its place.)
    await expectContains(page.locator('main p').first(),
      '— commission permanente du 25 janvier 2023', 'body and date');
    await expectAbsent(page.locator('main h2', { hasText: /^Article / }), 'articles');
    await clickAndLoad(page, page.getByRole('link', { name: 'Séances et rapports', exact: true }));
    assert.deepEqual(await tableRows(page, REPORT_CAPTION), [
      ['CP 2022-285', 'Tiers-lieux et autres affaires économiques', 'adopté',
        'dossier de séance (.zip)'],
      ['CP 2023-040', 'Attractivité et aménagement économique', 'en préparation',
        'dossier de séance (.zip)']],
    'the list of reports');
    await clickAndLoad(page, page.getByRole('link', { name: 'CP 2023-040', exact: true }));
    await expectHeading(page, 'Rapport CP 2023-040');
  }],
  ['a refused article keeps what was typed, its message at its field', async ({ page }) => {
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Ajouter l\'article' }) });
    await form.getByLabel('Nature de l\'article').selectOption('direct');
    await form.getByLabel('Intitulé', { exact: true }).fill('Essai refusé');
    await form.getByLabel('Montant affecté').fill('12x');
    await clickAndLoad(page, form.getByRole('button', { name: 'Ajouter l\'article' }));
    const amount = form.getByLabel('Montant affecté');
    assert.equal(await amount.inputValue(), '12x', 'the amount typed is kept');
    assert.equal(await form.getByLabel('Intitulé', { exact: true }).inputValue(), 'Essai refusé',
      'the title typed is kept');
    assert.equal(await form.getByLabel('Nature de l\'article').inputValue(), 'direct',
      'the kind chosen is kept');
    assert.equal(await amount.getAttribute('aria-invalid'), 'true', 'the amount is marked invalid');
    const described = await amount.getAttribute('aria-describedby');
    await expectContains(page.locator(`#${described}`), 'Montant invalide', 'the message at the field');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'amount',
      'the focus is on the amount');
    await expectAbsent(page.getByText('amount.invalid'), 'no API code on the page');
  }],
  ['adds article 1: first tranche (60 %) of Choose Paris Region\'s subsidy', async ({ page }) => {
    await addArticle(page, {
      position: 1, kind: 'tranche', heading: 'tranche d\'une subvention globale de fonctionnement',
      title: 'Soutien à Choose Paris Region : première affectation de la subvention globale de ' +
        'fonctionnement pour 2023',
      line: '2023/16200102', amount: '5 490 000,00', shown: eur('5 490 000,00'),
      party: partyNumber('Choose Paris Region'), plannedTotal: '9 150 000,00', rate: '60',
    });
  }],
  ['adds article 2: three chèques numériques (volet 2)', async ({ page }) => {
    await addArticle(page, {
      position: 2, kind: 'scheme_awards', heading: 'attribution de subventions au titre d\'un dispositif',
      title: 'Chèque numérique pour un commerce connecté – volet 2',
      line: '2023/16300302', amount: '23 000,00', shown: eur('23 000,00'), scheme: '00001176',
      dossiers: [`EX070162 — Commune des Clayes-sous-Bois : ${eur('7 000,00')}`,
        `EX070158 — Commune de Montfermeil : ${eur('8 000,00')}`,
        `EX069984 — Commune du Perreux-sur-Marne : ${eur('8 000,00')}`],
    });
    const dossiers = await page.locator('main h2:has-text("Article 2 —") + p + p + ul li')
      .allTextContents();
    assert.deepEqual([...dossiers].sort(), [
      `EX069984 — Commune du Perreux-sur-Marne : ${eur('8 000,00')}`,
      `EX070158 — Commune de Montfermeil : ${eur('8 000,00')}`,
      `EX070162 — Commune des Clayes-sous-Bois : ${eur('7 000,00')}`], 'dossiers of article 2');
    const sum = dossiers.reduce((t, li) => t + cents(li.split(' : ').pop()), 0);
    assert.equal(euros(sum), eur('23 000,00'), 'article 2 = sum of its dossiers\' awards');
  }],
  ['adds article 3: the Region\'s participation in the JEMA', async ({ page }) => {
    await addArticle(page, {
      position: 3, kind: 'direct', heading: 'opération en régie, sans bénéficiaire',
      title: 'Participation de la Région aux Journées Européennes des Métiers d\'Art',
      line: '2023/16100107', amount: '24 500,00', shown: eur('24 500,00'),
    });
  }],
  ['adds article 4: transfer of EX065392 from Casaco to SCI 6 avenue JJ', async ({ page }) => {
    await addArticle(page, {
      position: 4, kind: 'transfer', heading: 'avenant de transfert d\'une subvention',
      title: 'Transfert de subvention du projet de tiers-lieu Casaco à la SCI 6 avenue JJ',
      line: '2022/15600105', amount: '78 400,00', shown: eur('78 400,00'),
      party: partyNumber('SCI 6 avenue JJ'), transferred: 'EX065392',
    });
    await expectText(page.locator('main h2:has-text("Article 4 —") + p + p + ul li'),
      `EX065392 — SAS SCIC Casaco : ${eur('78 400,00')}`, 'article 4 before the transfer');
  }],
  ['checks the AE/AP control: each line suffices', async ({ page }) => {
    assert.equal(await page.locator('main h2', { hasText: /^Article / }).count(), 4, 'four articles');
    // The transfer allocates nothing: its line is not in the control.
    assert.deepEqual(await tableRows(page, CHECK_CAPTION), [
      ['2023/16100107', eur('24 500,00'), eur('200 000,00'), 'suffisant'],
      ['2023/16200102', eur('5 490 000,00'), eur('9 150 000,00'), 'suffisant'],
      ['2023/16300302', eur('23 000,00'), eur('1 000 000,00'), 'suffisant'],
    ], 'AE/AP control before the vote');
    // The vote played without being recorded: accepted as it stands.
    await expectText(page.locator('main p.notice', { hasText: /joué à blanc/ }),
      'Le vote, joué à blanc sur les soldes d\'aujourd\'hui, serait accepté (le cumul de minimis est contrôlé au vote).',
      'dry run of the vote');
  }],
  ['adopts the report', async ({ page }) => {
    await page.getByLabel(/Je confirme que la commission a adopté ce rapport/).check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer l\'adoption (tout ou rien)' }));
    await expectNotice(page, 'Adoption enregistrée.');
    assert.equal(await state(page), 'adopté', 'state of the report after the adoption');
    await expectAbsent(page.getByRole('button', { name: /Enregistrer l'adoption/ }),
      'adoption button once adopted');
    await expectAbsent(page.getByRole('button', { name: 'Ajouter l\'article' }),
      'article form once adopted');
    await expectText(page.locator('main h2:has-text("Article 4 —") + p + p + ul li'),
      `EX065392 — SCI 6 avenue JJ : ${eur('78 400,00')}`, 'article 4 after the transfer');
  }],
  ['sees on the dashboard the same allocations as flow b', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('link', { name: 'Tableau de bord', exact: true }));
    await expectHeading(page, 'Tableau de bord');
    const lines = await budgetLines(page);
    assert.deepEqual(Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, v.allocated])), {
      '2022/15600105': eur('78 400,00'), '2023/16100107': eur('24 500,00'),
      '2023/16200102': eur('5 490 000,00'), '2023/16300302': eur('23 000,00'),
    }, 'allocated after the adoption');
    for (const [k, v] of Object.entries(lines))
      assert.equal(v.available, euros(cents(v.voted) - cents(v.allocated)), `available on ${k}`);
    assert.deepEqual(await dossiersByState(page), { 'attribué': '4' },
      'dossiers by state after the adoption');
  }],
];

// ---------------------------------------------------------------------------------------------
// Flow c: refusals as a person meets them, and the keyboard.

const refusalsFlow = [
  ['wrong password is refused', async ({ page, base }) => {
    await login(page, base, 'instructeur', 'pas-le-bon-mot-de-passe');
    await expectHeading(page, 'Connexion');
    await expectContains(page.getByRole('alert'), 'Identifiant ou mot de passe incorrect.', 'refusal');
    assert.equal(await page.getByLabel('Identifiant').inputValue(), 'instructeur',
      'the login is kept');
    assert.equal(await page.getByLabel('Mot de passe').inputValue(), '', 'the password is not');
    await expectAbsent(page.getByRole('navigation', { name: 'Navigation principale' }),
      'navigation before logging in');
  }],
  ['keyboard only: Tab to the fields, type, Enter', async ({ page, base, snap }) => {
    await page.goto(`${base}/login`);
    const focused = () => page.evaluate(() => {
      const e = document.activeElement;
      return e ? (e.id || e.textContent.trim() || e.tagName) : null;
    });
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Aller au contenu', 'first Tab: the skip link');
    await snap('keyboard skip link focused');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'login', 'second Tab: the Identifiant field');
    await page.keyboard.type('lecteur');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'password', 'third Tab: the Mot de passe field');
    await page.keyboard.type(accounts.lecteur);
    await snap('keyboard login filled');
    await Promise.all([page.waitForEvent('framenavigated', (f) => f === page.mainFrame()),
      page.keyboard.press('Enter')]);
    await page.waitForLoadState('load');
    await expectHeading(page, 'Tableau de bord');
    await expectContains(page.locator('header'), '(lecteur)', 'header (who is logged in)');
  }],
  ['lecteur sees EX070158 without the plan form nor the workflow form', async ({ page, base }) => {
    await page.goto(`${base}/dossiers/EX070158`);
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /^Dossier EX070158/);
    await expectText(page.locator('#award'), eur('8 000,00'), 'award');
    await expectAbsent(page.getByRole('button', { name: 'Enregistrer le plan (tout ou rien)' }),
      'plan button');
    await expectAbsent(page.locator('input[name^="expense-"], input[name^="resource-"]'),
      'plan inputs');
    await expectAbsent(page.getByRole('button', { name: 'Appliquer' }), 'workflow button');
    await expectAbsent(page.getByLabel('Événement'), 'workflow event select');
  }],
  ['lecteur sees CP 2023-040 without the adoption button', async ({ page, base }) => {
    await page.goto(`${base}/rapports/CP%202023-040`);
    await expectHeading(page, 'Rapport CP 2023-040');
    assert.equal(await state(page), 'en préparation', 'state of the report');
    await expectAbsent(page.getByRole('button', { name: /adoption/i }), 'adoption button');
  }],
  ['lecteur logs out', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('button', { name: 'Se déconnecter' }));
    await expectHeading(page, 'Connexion');
    await page.goto(page.url().replace(/\/login$/, '/'));
    await expectHeading(page, 'Connexion'); // the dashboard asks to log in again
  }],
];

// ---------------------------------------------------------------------------------------------
// Flow e: every page of the back office at 390 px and 320 px wide without sideways scrolling
// (RGAA 10.11: the document is never wider than the screen; a table scrolls in its own box), and
// axe-core's WCAG 2.1 A and AA rules without a violation. Read-only: it shares flow c's server.
// axe is injected by the test (node_modules/axe-core, from the lockfile), so this flow's browser
// context bypasses the pages' CSP, which otherwise refuses any script the server did not send.

const PAGES = ['/', '/dossiers', '/dossiers/EX070158', '/dossiers/EX070158/aide',
  '/dossiers/EX065392/aide', '/conventions', '/rapports', '/rapports/CP%202023-040', '/tiers/1',
  '/budget/2023/16300302', '/modeles', '/imports', '/travaux', '/admin/comptes',
  '/admin/jetons', '/admin/services', '/compte', '/admin/collectivite', '/dispositifs',
  '/dispositifs/00001176', '/dossiers?queue=au_visa',
  '/budget', '/portail', '/portail/connexion', '/portail/mot-de-passe',
  '/portail/donnees-personnelles'];
const AXE = path.resolve('node_modules/axe-core/axe.min.js');

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => `${v.id} (${v.nodes.length}): ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
  });
}

// What is wider than the screen at `width` px, or null.
async function overflow(page, width) {
  await page.setViewportSize({ width, height: 800 });
  const [scroll, client] = await page.evaluate(
    () => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  return scroll <= client ? null : `at ${width} px the page is ${scroll} px wide`;
}

// Both checks run, and both are reported: the reflow at two widths, then axe-core.
async function checkPage(page, where) {
  const problems = [];
  for (const width of [390, 320]) {
    const o = await overflow(page, width);
    if (o) problems.push(o);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  problems.push(...(await axeViolations(page)).map((v) => `axe-core: ${v}`));
  assert.deepEqual(problems, [], `${where}`);
}

const layoutFlow = [
  ['the login page reflows at 390 and 320 px and passes axe-core', async ({ page, base }) => {
    await page.goto(`${base}/login`);
    await checkPage(page, '/login');
  }],
  ['admin logs in', async ({ page, base }) => {
    await login(page, base, 'admin');
    await expectHeading(page, 'Tableau de bord');
  }],
  ...PAGES.map((p) => [`${p} reflows at 390 and 320 px and passes axe-core`, async ({ page, base }) => {
    const response = await page.goto(`${base}${p}`);
    assert.equal(response.status(), 200, `status of ${p}`);
    await checkPage(page, p);
  }]),
  ['a refused form (plan with a bad amount) reflows and passes axe-core', async ({ page, base }) => {
    await page.goto(`${base}/dossiers/EX070162`);
    await page.getByLabel('Événement').selectOption({ label: 'retour en instruction' });
    await page.getByLabel(/^Motif/).fill('Vérification');
    await clickAndLoad(page, page.getByRole('button', { name: 'Appliquer' }));
    await page.getByLabel('Nouveau montant de la dépense 1').fill('12x');
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer le plan (tout ou rien)' }));
    await expectContains(page.getByRole('alert'), 'Montant invalide', 'refusal');
    await checkPage(page, 'a refused plan form');
  }],
  // The administration pages, used (the last steps: they change the shared demonstration).
  ['admin gives the authority its SIRET', async ({ page, base }) => {
    await page.goto(`${base}/admin/collectivite`);
    await expectContains(page.locator('main'), 'Renseignez le SIRET', 'the SCDL needs it');
    await page.getByLabel(/^SIRET/).fill('23750007900313');
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer' }));
    assert.equal(await page.getByLabel(/^SIRET/).getAttribute('aria-invalid'), 'true',
      'a wrong SIRET is marked');
    await page.getByLabel(/^SIRET/).fill('23750007900312');
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer' }));
    await expectNotice(page, 'Collectivité enregistrée.');
    assert.equal(await page.getByLabel(/^SIRET/).inputValue(), '23750007900312', 'SIRET saved');
  }],
  ['admin sets the advance ceiling of the chèque numérique scheme', async ({ page, base }) => {
    await page.goto(`${base}/dispositifs`);
    await clickAndLoad(page, page.getByRole('link', { name: '00001176' }));
    await page.getByLabel(/^Avance : plafond/).fill('30');
    await page.getByLabel(/^Acomptes : plafond/).fill('80');
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer le dispositif' }));
    await expectNotice(page, 'Dispositif enregistré.');
    assert.equal(await page.getByLabel(/^Avance : plafond/).inputValue(), '30', 'advance ceiling');
    assert.equal(await page.getByLabel(/^Taux d'intervention/).inputValue(), '50',
      'the rule as it was');
  }],
  ['admin creates a budget line and votes it', async ({ page, base }) => {
    await page.goto(`${base}/budget`);
    await page.getByLabel('Exercice').fill('2024');
    await page.getByLabel(/^Imputation/).fill('936-633-657341-163004-400');
    await page.getByLabel(/^Code action/).fill('16300401');
    await page.getByLabel('Libellé de l\'action').fill('Tourisme');
    await clickAndLoad(page, page.getByRole('button', { name: 'Créer la ligne' }));
    await expectNotice(page, 'Ligne budgétaire créée.');
    await page.getByLabel('Ligne', { exact: true }).selectOption('2024/16300401');
    await page.getByLabel(/^AE\/AP votées/).fill('150 000');
    await page.getByLabel(/^CP votés/).fill('60 000');
    await page.getByLabel(/^Acte/).fill('BP 2024');
    await page.getByLabel('Date de l\'acte').fill('14 décembre 2023');
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer le vote' }));
    await expectNotice(page, 'Vote enregistré.');
    const row = (await tableRows(page, /Lignes budgétaires/)).find((r) => r[0] === '2024/16300401');
    assert.ok(row, 'the new line is listed');
    assert.equal(row[2], eur('150 000,00'), 'AE/AP voted');
  }],
];

// ---------------------------------------------------------------------------------------------
// Flow f: the instruction workspace, after flow a on its server (EX070158 is back in
// instruction). The chef de service ticks two proposals in the list, gives them to Inès
// Instructrice and sends both back to instruction at once; she finds them in her queue, follows
// one, and saves her search.

const workspaceFlow = [
  ['chef de service logs in and ticks two dossiers of the list', async ({ page, base }) => {
    await login(page, base, 'chef');
    await clickAndLoad(page, page.getByRole('link', { name: 'Dossiers', exact: true }));
    await page.getByLabel('Cocher le dossier EX069984').check();
    await page.getByLabel('Cocher le dossier EX070162').check();
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'attribuer à' });
    await page.getByLabel('Attribuer à').selectOption({ label: 'Inès Instructrice (instructeur)' });
    await clickAndLoad(page, page.getByRole('button', { name: 'Appliquer aux dossiers cochés' }));
    await expectNotice(page, '2 dossier(s) traité(s) en une fois.');
    const rows = await tableRows(page, /dossier\(s\)/);
    for (const n of ['EX069984', 'EX070162']) {
      const row = rows.find((r) => r[0] === n);
      assert.ok(row, `${n} is listed`);
      assert.equal(row.at(-1), 'Inès Instructrice', `who instructs ${n}`);
    }
  }],
  ['a bulk move without its reason is refused, and nothing moves', async ({ page }) => {
    await page.getByLabel('Cocher le dossier EX069984').check();
    await page.getByLabel('Cocher le dossier EX070162').check();
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'faire avancer par l\'événement' });
    await page.getByLabel('Événement').selectOption({ label: 'retour en instruction' });
    await clickAndLoad(page, page.getByRole('button', { name: 'Appliquer aux dossiers cochés' }));
    await expectContains(page.getByRole('alert'), 'EX069984 : ', 'the refusal names the dossier');
    await page.goBack();
    await page.reload();
  }],
  ['sends both back to instruction in one act', async ({ page }) => {
    await page.getByLabel('Cocher le dossier EX069984').check();
    await page.getByLabel('Cocher le dossier EX070162').check();
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'faire avancer par l\'événement' });
    await page.getByLabel('Événement').selectOption({ label: 'retour en instruction' });
    await page.getByLabel(/^Motif/).fill('Pièces à compléter');
    await clickAndLoad(page, page.getByRole('button', { name: 'Appliquer aux dossiers cochés' }));
    await expectNotice(page, '2 dossier(s) traité(s) en une fois.');
    const rows = await tableRows(page, /dossier\(s\)/);
    for (const n of ['EX069984', 'EX070162'])
      assert.equal(rows.find((r) => r[0] === n)[3], 'en instruction', `state of ${n}`);
    await clickAndLoad(page, page.getByRole('button', { name: 'Se déconnecter' }));
  }],
  ['the instructor finds them in her queue', async ({ page, base }) => {
    await login(page, base, 'instructeur');
    await expectContains(page.locator('main'), 'Mon travail', 'her work on the dashboard');
    await clickAndLoad(page, page.getByRole('link', { name: 'À traiter, qui me sont attribués' }));
    const rows = await tableRows(page, /dossier\(s\)/);
    assert.deepEqual(rows.map((r) => r[0]), ['EX069984', 'EX070162'], 'her queue');
  }],
  ['follows EX070162 and finds it among the followed', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('link', { name: 'EX070162' }));
    await expectText(page.locator('#assignee'), 'Inès Instructrice', 'who instructs it');
    await clickAndLoad(page, page.getByRole('button', { name: 'Suivre ce dossier' }));
    await expectNotice(page, 'Vous suivez ce dossier.');
    await clickAndLoad(page, page.getByRole('link', { name: 'Dossiers', exact: true }));
    await clickAndLoad(page, page.getByRole('link', { name: 'Suivis' }));
    const rows = await tableRows(page, /dossier\(s\)/);
    assert.deepEqual(rows.map((r) => r[0]), ['EX070162'], 'followed');
  }],
  ['saves her queue as a search and runs it again', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('link', { name: 'Mes dossiers' }));
    await page.getByLabel('File', { exact: true }).selectOption({ label: 'à traiter' });
    await clickAndLoad(page, page.getByRole('button', { name: 'Rechercher' }));
    await page.getByLabel('Enregistrer cette recherche sous le nom').fill('Mes chèques à instruire');
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer', exact: true }));
    await clickAndLoad(page, page.getByRole('link', { name: 'Tous' }));
    await clickAndLoad(page, page.getByRole('link', { name: 'Mes chèques à instruire' }));
    const rows = await tableRows(page, /dossier\(s\)/);
    assert.deepEqual(rows.map((r) => r[0]), ['EX069984', 'EX070162'], 'the saved search');
    await checkPage(page, 'the instructor\'s queue');
  }],
  ['asks the Service de l\'innovation for its opinion on EX070162', async ({ page, base }) => {
    await page.goto(`${base}/dossiers/EX070162`);
    await page.getByLabel('Service consulté').selectOption('Service de l\'innovation');
    await page.getByLabel('Question posée').fill('Le projet sert-il aussi un tiers-lieu ?');
    await clickAndLoad(page, page.getByRole('button', { name: 'Demander l\'avis' }));
    await expectNotice(page, 'Demande d\'avis envoyée.');
    const rows = await tableRows(page, 'Avis demandés sur ce dossier');
    assert.equal(rows[0][0], 'Service de l\'innovation', 'service asked');
    assert.ok(rows[0][3].startsWith('en attente'), `pending: ${rows[0][3]}`);
    await expectAbsent(page.getByRole('button', { name: 'Donner l\'avis' }), 'no answer form for her');
    await clickAndLoad(page, page.getByRole('button', { name: 'Se déconnecter' }));
  }],
  ['an administrator answers it once, with the reason of a reserved opinion', async ({ page, base }) => {
    await login(page, base, 'admin');
    await page.goto(`${base}/dossiers/EX070162`);
    const form = page.locator('form[action*="/avis/"]');
    await form.getByLabel('Avis', { exact: true }).selectOption('reserved');
    await clickAndLoad(page, form.getByRole('button', { name: 'Donner l\'avis' }));
    await expectContains(page.getByRole('alert'), 'Motivez un avis réservé', 'a reason is needed');
    const again = page.locator('form[action*="/avis/"]');
    await again.getByLabel('Avis', { exact: true }).selectOption('reserved');
    await again.getByLabel(/^Motif/).fill('Seulement si le local est partagé.');
    await clickAndLoad(page, again.getByRole('button', { name: 'Donner l\'avis' }));
    await expectNotice(page, 'Avis enregistré.');
    const rows = await tableRows(page, 'Avis demandés sur ce dossier');
    assert.equal(rows[0][3], 'réservé — Seulement si le local est partagé.', 'the opinion given');
    await expectAbsent(page.getByRole('button', { name: 'Donner l\'avis' }), 'answered once');
    await checkPage(page, 'a dossier with an opinion');
  }],
];

// ---------------------------------------------------------------------------------------------
// Flow g: an approval chain of two levels, after flow f on its server (EX070162 is back in
// instruction, given to Inès Instructrice). The administrator gives the chèque numérique a
// chain (chef de service, then direction); the instructor asks for the visas; the chef de
// service gives the first, the administrator the second, which proposes the dossier.

const approvalFlow = [
  ['the administrator sets a chain of two levels on the scheme', async ({ page, base }) => {
    await login(page, base, 'admin');
    await page.goto(`${base}/dispositifs/00001176`);
    await page.getByLabel('Libellé du niveau 1').fill('Chef de service');
    await page.getByLabel('Rôle du niveau 1').selectOption('approver');
    await page.getByLabel('Libellé du niveau 2').fill('Direction');
    await page.getByLabel('Rôle du niveau 2').selectOption('administrator');
    await page.locator('#level-1-return').uncheck();
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer le circuit' }));
    await expectNotice(page, 'Circuit de visa enregistré.');
    await expectContains(page.locator('main'),
      'Circuit de visa : Chef de service (chef de service), puis Direction (administrateur).',
      'the chain');
    await checkPage(page, 'a scheme with its approval chain');
    await clickAndLoad(page, page.getByRole('button', { name: 'Se déconnecter' }));
  }],
  ['the instructor asks for the visas of EX070162', async ({ page, base }) => {
    await login(page, base, 'instructeur');
    await page.goto(`${base}/dossiers/EX070162`);
    await page.getByLabel('Événement').selectOption({ label: 'demande de visa' });
    await clickAndLoad(page, page.getByRole('button', { name: 'Appliquer' }));
    assert.equal(await state(page), 'au visa', 'state');
    const rows = await tableRows(page, /Visas demandés/);
    assert.equal(rows[0][4], 'visa attendu', 'level 1 awaited');
    await expectAbsent(page.locator('#give-visa'), 'the instructor gives no visa');
    await clickAndLoad(page, page.getByRole('button', { name: 'Se déconnecter' }));
  }],
  ['the chef de service gives the first visa', async ({ page, base }) => {
    await login(page, base, 'chef');
    await page.goto(`${base}/dossiers/EX070162`);
    await clickAndLoad(page, page.getByRole('button', { name: 'Viser (Chef de service)' }));
    const rows = await tableRows(page, /Visas demandés/);
    assert.ok(rows[0][4].startsWith('visé le'), `level 1: ${rows[0][4]}`);
    assert.equal(rows[1][4], 'visa attendu', 'level 2 awaited');
    await expectAbsent(page.locator('#give-visa'), 'the direction\'s visa is not his');
    await checkPage(page, 'a dossier awaiting its second visa');
    await clickAndLoad(page, page.getByRole('button', { name: 'Se déconnecter' }));
  }],
  ['the administrator gives the second, which proposes the dossier', async ({ page, base }) => {
    await login(page, base, 'admin');
    await page.goto(`${base}/dossiers/EX070162`);
    await clickAndLoad(page, page.getByRole('button', { name: 'Viser (Direction)' }));
    assert.equal(await state(page), 'proposé en commission', 'state');
    const rows = await tableRows(page, /Visas demandés/);
    assert.ok(rows.every((r) => r[4].startsWith('visé le')), 'both visas given');
  }],
];

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Flow h: the applicant portal (issue 19), on its own server whose e-mails reach the SMTP sink of
// scripts/e2e.sh ($E2E_MAILDIR, one .eml per message): a visitor finds the chèque numérique, signs
// up and confirms the address by the link of the e-mail, joins a commune by its SIRET, applies
// with a plan that computes 8 000 €, submits and gets the receipt; the instructor asks for a
// correction; the applicant corrects and submits again.

const APPLICANT = { email: 'marie.dupont@gagny.test', password: 'un mot de passe solide' };
let portalDossier = '';

// The e-mails the sink received for `to`, oldest first: {subject, body}.
function mailsTo(to) {
  const dir = process.env.E2E_MAILDIR;
  if (!dir) return [];
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  const out = [];
  for (const f of files) {
    const raw = readFileSync(path.join(dir, f), 'latin1');
    if (!raw.split('\r\n')[0].includes(to)) continue;
    const subjectLine = (raw.match(/^Subject: (.*(?:\r\n .*)*)/m) || ['', ''])[1];
    const subject = subjectLine.split(/\r\n /).map((w) => {
      const m = /^=\?UTF-8\?B\?(.*)\?=$/.exec(w.trim());
      return m ? Buffer.from(m[1], 'base64').toString('utf8') : w;
    }).join('');
    const part = raw.split('Content-Transfer-Encoding: base64')[1] || '';
    const b64 = part.split(/\r\n\r\n/)[1]?.split('--')[0]?.replace(/\s/g, '') ?? '';
    out.push({ subject, body: Buffer.from(b64, 'base64').toString('utf8') });
  }
  return out;
}

async function waitForMail(to, subject) {
  for (let i = 0; i < 100; i++) {
    const found = mailsTo(to).find((m) => m.subject.startsWith(subject));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no e-mail "${subject}" for ${to} after 10 s (got: ${mailsTo(to).map((m) => m.subject).join(' | ')})`);
}

async function fillPlan(page, expense, region, own) {
  await page.getByLabel('Dépense 1 : libellé').fill('Abonnements numériques des commerces');
  await page.getByLabel('Dépense 1 : montant').fill(expense);
  await page.getByLabel('Recette 1 : libellé').fill('Région Île-de-France');
  await page.getByLabel('Recette 1 : montant').fill(region);
  await page.getByLabel('Recette 1 : nature').selectOption('authority');
  await page.getByLabel('Recette 2 : libellé').fill('Commune');
  await page.getByLabel('Recette 2 : montant').fill(own);
  await page.getByLabel('Recette 2 : nature').selectOption('self_funding');
}

const portalFlow = [
  ['a visitor finds the chèque numérique in the catalogue', async ({ page, base }) => {
    await page.goto(`${base}/portail`);
    await page.getByLabel('Rechercher une aide').fill('numerique');
    await clickAndLoad(page, page.getByRole('button', { name: 'Rechercher' }));
    await clickAndLoad(page, page.getByRole('link', { name: /Chèque numérique/ }));
    await expectContains(page.locator('main'), 'Relevé d\'identité bancaire', 'documents required');
    await checkPage(page, '/portail/dispositifs/00001176');
  }],
  ['signs up and confirms the address by the link of the e-mail', async ({ page, base }) => {
    await page.goto(`${base}/portail/inscription`);
    await checkPage(page, '/portail/inscription');
    await page.getByLabel('Adresse électronique').fill(APPLICANT.email);
    await page.getByLabel('Votre nom').fill('Marie Dupont');
    await page.getByLabel('Mot de passe').fill(APPLICANT.password);
    await clickAndLoad(page, page.getByRole('button', { name: 'Créer mon compte' }));
    await expectHeading(page, 'Vérifiez votre messagerie');
    const mail = await waitForMail(APPLICANT.email, 'Confirmez votre adresse électronique');
    assert.match(mail.body, /^Bonjour Marie Dupont,/);
    const code = /\/portail\/verifier\?code=([0-9a-f]{64})/.exec(mail.body)?.[1];
    assert.ok(code, 'the e-mail holds the link');
    await page.goto(`${base}/portail/verifier?code=${code}`);
    await clickAndLoad(page, page.getByRole('button', { name: 'Confirmer mon adresse électronique' }));
    await expectNotice(page, 'Adresse confirmée : vous pouvez vous connecter.');
  }],
  ['logs in and acts for the commune of Gagny by its SIRET', async ({ page }) => {
    await page.getByLabel('Adresse électronique').fill(APPLICANT.email);
    await page.getByLabel('Mot de passe').fill(APPLICANT.password);
    await clickAndLoad(page, page.getByRole('button', { name: 'Se connecter' }));
    await expectHeading(page, 'Mon espace');
    await page.getByLabel('SIRET (14 chiffres)').fill('21930048700010');
    await page.getByLabel('Raison sociale').fill('Commune de Gagny');
    await page.getByLabel('Forme juridique').fill('Commune');
    await page.getByLabel('Adresse', { exact: true }).fill('1 place Foch');
    await page.getByLabel('Code postal').fill('93220');
    await page.getByLabel('Commune', { exact: true }).fill('Gagny');
    await clickAndLoad(page, page.getByRole('button', { name: 'Agir pour cette organisation' }));
    await expectNotice(page, 'Vous agissez désormais pour cette organisation.');
    await expectContains(page.locator('main'), 'SIRET 21930048700010', 'the organisation');
    await checkPage(page, '/portail/espace');
  }],
  ['applies with a plan whose live totals and award compute 8 000 €', async ({ page, base }) => {
    await page.goto(`${base}/portail/dispositifs/00001176`);
    await clickAndLoad(page, page.getByRole('link', { name: 'Déposer une demande' }));
    await page.getByLabel('Intitulé du projet').fill('Chèque numérique pour les commerces de Gagny');
    await page.getByLabel('Début (jj/mm/aaaa)').fill('01/02/2027');
    await page.getByLabel('Fin (jj/mm/aaaa)').fill('31/12/2027');
    await page.getByLabel('Lieu de réalisation').fill('Gagny');
    await fillPlan(page, '16 000', '8 000', '8000,00');
    await expectContains(page.locator('[data-plan-live]'),
      `base subventionnable ${eur('16 000,00')}`, 'live totals');
    await expectContains(page.locator('[data-plan-live]'), '(plan équilibré)', 'live balance');
    await checkPage(page, 'the new dossier form');
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer le brouillon' }));
    await expectNotice(page, 'Brouillon créé : complétez-le puis déposez-le.');
    portalDossier = /Dossier (EX\d{6})/.exec(await page.getByRole('heading', { level: 1 }).textContent())[1];
    await expectContains(page.locator('main'), `Aide calculée : ${eur('8 000,00')}`, 'award');
    assert.equal(await state(page), 'brouillon');
  }],
  ['attaches the pieces: a text named .pdf is refused, the three PDFs are taken', async ({ page }) => {
    await expectContains(page.locator('main'), 'Relevé d\'identité bancaire : à joindre', 'pieces to attach');
    await page.getByLabel('Pièce', { exact: true }).selectOption('Relevé d\'identité bancaire');
    await page.getByLabel(/^Fichier \(/).setInputFiles(
      { name: 'rib.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Pas un PDF du tout.\n') });
    await clickAndLoad(page, page.getByRole('button', { name: 'Joindre le fichier' }));
    await expectContains(page.getByRole('alert'), 'est de type text/plain', 'the type read from the bytes');
    for (const piece of ['Délibération de la collectivité approuvant le projet',
      'Devis ou factures des abonnements', 'Relevé d\'identité bancaire']) {
      await page.getByLabel('Pièce', { exact: true }).selectOption(piece);
      await page.getByLabel(/^Fichier \(/).setInputFiles({
        name: `${piece.slice(0, 8)}.pdf`, mimeType: 'application/pdf',
        buffer: Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${piece}\ntrailer << >>\n%%EOF\n`),
      });
      await clickAndLoad(page, page.getByRole('button', { name: 'Joindre le fichier' }));
      await expectNotice(page, 'Fichier joint au dossier.');
    }
    const files = await tableRows(page, 'Fichiers joints');
    assert.equal(files.length, 3, 'three files');
    await checkPage(page, 'the dossier with its files');
  }],
  ['submits once and receives the receipt, on the page and by e-mail', async ({ page }) => {
    await clickAndLoad(page, page.getByRole('button', { name: 'Déposer la demande' }));
    await expectNotice(page, 'Demande déposée : l\'accusé de réception vous a été envoyé par courriel.');
    assert.equal(await state(page), 'déposé');
    await clickAndLoad(page, page.getByRole('link', { name: 'Voir l\'accusé de réception' }));
    await expectHeading(page, 'Accusé de réception');
    await expectContains(page.locator('main'), 'elle sera réputée rejetée', 'silence is rejection');
    await expectContains(page.locator('main'), 'R421-1', 'means of appeal');
    await checkPage(page, 'the receipt');
    // The receipt as a PDF document, made once and kept with the dossier.
    const pdfLink = page.getByRole('link', { name: 'Télécharger l\'accusé de réception (PDF)' });
    const pdf = await page.request.get(new URL(await pdfLink.getAttribute('href'), page.url()).href);
    assert.equal(pdf.status(), 200, 'the receipt PDF');
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-', 'a PDF');
    const mail = await waitForMail(APPLICANT.email, `Accusé de réception de votre demande ${portalDossier}`);
    assert.match(mail.body, /L231-4/);
  }],
  ['the instructor asks for a correction from the back office', async ({ page, base }) => {
    await login(page, base, 'instructeur');
    await page.goto(`${base}/dossiers/${portalDossier}`);
    await page.getByLabel('Événement').selectOption('declare_incomplete');
    await page.getByLabel(/^Motif/).fill('Joignez la délibération du conseil municipal.');
    await clickAndLoad(page, page.getByRole('button', { name: 'Appliquer' }));
    await expectAbsent(page.getByRole('alert'), 'refusal box');
    await expectContains(page.locator('main'), 'Relevé d', 'the applicant\'s files on the dossier page');
    const mail = await waitForMail(APPLICANT.email, `Votre dossier ${portalDossier} est à compléter`);
    assert.match(mail.body, /Joignez la délibération du conseil municipal/);
  }],
  ['the applicant corrects the plan and submits again: a second receipt', async ({ page, base }) => {
    await page.goto(`${base}/portail/dossiers/${portalDossier}`);
    assert.equal(await state(page), 'à compléter');
    await expectContains(page.locator('main'), 'Joignez la délibération du conseil municipal.', 'what is missing');
    await fillPlan(page, '12 000', '6 000', '6 000');
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer le brouillon' }));
    await expectNotice(page, 'Brouillon enregistré.');
    await expectContains(page.locator('main'), `Aide calculée : ${eur('6 000,00')}`, 'award');
    await clickAndLoad(page, page.getByRole('button', { name: 'Déposer la demande' }));
    assert.equal(await state(page), 'déposé');
    const receipts = await tableRows(page, 'Accusés de réception');
    assert.equal(receipts.length, 2, 'two submissions, two receipts');
  }],
  ['the instructor starts the instruction and proposes the dossier', async ({ page, base }) => {
    await page.goto(`${base}/dossiers/${portalDossier}`);
    for (const event of ['start_instruction', 'propose']) {
      await page.getByLabel('Événement').selectOption(event);
      await clickAndLoad(page, page.getByRole('button', { name: 'Appliquer' }));
      await expectAbsent(page.getByRole('alert'), `refusal box after ${event}`);
    }
    const mail = await waitForMail(APPLICANT.email, `Votre dossier ${portalDossier} est en instruction`);
    assert.match(mail.body, /a commencé l'instruction/);
  }],
  ['the greffe puts it in a report of today\'s committee and records the vote', async ({ page, base }) => {
    await login(page, base, 'greffe');
    await clickAndLoad(page, page.getByRole('link', { name: 'Séances et rapports', exact: true }));
    const year = new Date().getFullYear();
    await page.getByLabel('Numéro').fill(`CP ${year}-100`);
    await page.getByLabel('Intitulé').fill('Chèque numérique : demandes du portail');
    await page.getByLabel('Instance').selectOption({ label: 'commission permanente' });
    await page.getByLabel('Date de la séance').fill(new Date().toISOString().slice(0, 10));
    await clickAndLoad(page, page.getByRole('button', { name: 'Créer le rapport' }));
    await addArticle(page, {
      position: 1, kind: 'scheme_awards', heading: 'attribution de subventions au titre d\'un dispositif',
      title: 'Chèque numérique pour un commerce connecté – volet 2',
      line: `${year}/16300302`, amount: '6 000,00', shown: eur('6 000,00'), scheme: '00001176',
      dossiers: [`${portalDossier} — Commune de Gagny : ${eur('6 000,00')}`],
    });
    await page.getByLabel(/Je confirme que la commission a adopté ce rapport/).check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer l\'adoption (tout ou rien)' }));
    await expectNotice(page, 'Adoption enregistrée.');
    const mail = await waitForMail(APPLICANT.email, `Décision sur votre dossier ${portalDossier} : aide accordée`);
    assert.match(mail.body, /6\s000,00/);
  }],
  ['the finance office drafts the agreement', async ({ page, base }) => {
    await login(page, base, 'finances');
    await page.goto(`${base}/dossiers/${portalDossier}/aide`);
    await clickAndLoad(page, page.getByRole('button', { name: 'Établir la convention' }));
    await expectNotice(page, 'Convention établie.');
  }],
  ['the applicant reads the decision and signs the agreement by a click', async ({ page, base }) => {
    await page.goto(`${base}/portail/dossiers/${portalDossier}`);
    await clickAndLoad(page, page.getByRole('link', { name: 'Décision, convention et versements' }));
    await expectContains(page.locator('main'), `Aide accordée : ${eur('6 000,00')}`, 'the decision');
    await expectContains(page.locator('main'), 'Bénéficiaire : Commune de Gagny.', 'the terms');
    await checkPage(page, 'the award on the portal');
    await page.getByLabel(/J'ai lu la convention ci-dessus/).check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Signer la convention' }));
    await expectNotice(page, 'Convention signée : le service en est informé.');
    await expectContains(page.locator('main'), 'signée en ligne par Marie Dupont', 'who signed');
  }],
  ['the finance office countersigns: the aid is committed', async ({ page, base }) => {
    await page.goto(`${base}/dossiers/${portalDossier}/aide`);
    await page.getByLabel('Signataire').selectOption('authority');
    await clickAndLoad(page, page.getByRole('button', { name: 'Enregistrer la signature' }));
    await expectNotice(page, 'Signature enregistrée.');
  }],
  ['the applicant asks for an advance: above the ceiling refused, then within it', async ({ page, base }) => {
    await page.goto(`${base}/portail/dossiers/${portalDossier}/aide`);
    await page.getByLabel('Nature du versement').selectOption('advance');
    await page.getByLabel(/^Montant demandé/).fill('1 800,01');
    await clickAndLoad(page, page.getByRole('button', { name: 'Demander le versement' }));
    await expectContains(page.getByRole('alert'), 'avance', 'the ceiling of the advance');
    await page.getByLabel('Nature du versement').selectOption('advance');
    await page.getByLabel(/^Montant demandé/).fill('1 800');
    await clickAndLoad(page, page.getByRole('button', { name: 'Demander le versement' }));
    await expectNotice(page, 'Demande de versement envoyée au service.');
    await expectContains(page.locator('main'), 'en attente de la décision du service', 'the claim');
  }],
  ['the finance office pays the claim; the applicant sees it paid', async ({ page, base }) => {
    await page.goto(`${base}/dossiers/${portalDossier}/aide`);
    await clickAndLoad(page, page.getByRole('button', { name: /^Mandater la demande n° / }));
    await expectNotice(page, 'Versement enregistré.');
    await page.goto(`${base}/portail/dossiers/${portalDossier}/aide`);
    await expectText(page.locator('[data-paid]'), eur('1 800,00'), 'paid');
    await expectContains(page.locator('main'), 'mise en paiement', 'the claim paid');
    const mail = await waitForMail(APPLICANT.email, `Versement sur votre dossier ${portalDossier}`);
    assert.match(mail.body, /1\s800,00/);
  }],
];

async function main() {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of readdirSync(ARTIFACTS)) if (f.endsWith('.png')) unlinkSync(path.join(ARTIFACTS, f));
  const started = Date.now();
  const flows = [
    ['a', 'instructeur: return to instruction and plan edit', 'E2E_PLAN_URL', planFlow],
    ['b', 'greffe: adoption of CP 2023-040', 'E2E_ADOPTION_URL', adoptionFlow],
    ['c', 'refusals and keyboard', 'E2E_REFUSALS_URL', refusalsFlow],
    ['d', 'greffe: composition and adoption of CP 2023-040', 'E2E_COMPOSITION_URL',
      compositionFlow],
    ['e', 'every page at 390 and 320 px, and axe-core', 'E2E_REFUSALS_URL', layoutFlow,
      { context: { bypassCSP: true }, keepGoing: true }],
    ['f', 'the instruction workspace: queue, assignment, bulk move', 'E2E_PLAN_URL', workspaceFlow,
      { context: { bypassCSP: true } }],
    ['g', 'an approval chain of two levels', 'E2E_PLAN_URL', approvalFlow,
      { context: { bypassCSP: true } }],
    ['h', 'the applicant portal: from sign-up to an advance paid', 'E2E_PORTAL_URL', portalFlow,
      { context: { bypassCSP: true } }],
  ];
  for (const [flow, title, env, steps, options] of flows) {
    let base;
    try {
      base = url(env);
    } catch (e) {
      results.push({ flow, step: 'server URL', status: 'failed', error: e });
      console.log(`\n${flow}. ${title}\n  FAIL ${e.message}`);
      continue;
    }
    await runFlow(flow, title, base, steps, options);
  }
  const count = (s) => results.filter((r) => r.status === s).length;
  const failed = results.filter((r) => r.status === 'failed');
  console.log(`\nscreenshots: ${ARTIFACTS} (${readdirSync(ARTIFACTS).filter((f) => f.endsWith('.png')).length})`);
  if (failed.length) {
    console.log('failures:');
    for (const f of failed) console.log(`  ${f.flow}. ${f.step}: ${f.error.message.split('\n')[0]}`);
  }
  console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`e2e: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`);
  return failed.length === 0 && count('passed') > 0 ? 0 : 1;
}

// Stopped (scripts/e2e.sh's trap, ctest's timeout, Ctrl-C): exit now; playwright kills the
// browsers it started when the process exits.
for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]]) {
  process.on(signal, () => {
    console.error(`e2e: stopped by ${signal}`);
    process.exit(code);
  });
}

// A hung browser must not hang CI: give up well before ctest's TIMEOUT.
const watchdog = setTimeout(() => {
  console.error('e2e: gave up after 240 s (a browser or a server does not answer)');
  process.exit(1);
}, 240000);
watchdog.unref();

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(`e2e: ${e.stack || e}`);
  process.exitCode = 1;
});
