// Renders bench/results.json as bench/results.md (tables) and bench/results.svg (bar chart).
// `tsx bench/report.ts` re-renders both from the JSON without running anything.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AccountKind } from '../lib/accounts/kinds.js';
import { ACCOUNT_KINDS } from '../lib/accounts/kinds.js';
import { type AccountResult, type KeyStoreResult, median, type Sample, SHAPES, type Shape, VARIANT_LABEL, VARIANTS, type Variant } from './gas.js';
import { accountOwn, codeBudget, KINDS, type KindSplit, type MadeOf } from './opcodes.js';
import type { Comparison } from './comparison.js';
import type { ExtensionSize } from './size.js';

/** Issue 17's stretch: a session transfer (calls + one sliding limit) at most this over the owner's, on every kind. */
export const BAR_GAS = 25_000;
/** Issue 17's bars per account kind, over the same account's owner-signed transfer: one transfer
 * with calls + one sliding limit (`spend`), the same with a rate limit and expiry too (`full`). */
export const KIND_BARS: Record<AccountKind, { spend: number; full: number }> = {
  kernel: { spend: 34_000, full: 39_000 },
  nexus: { spend: 20_000, full: 25_000 },
  safe: { spend: 30_000, full: 35_000 },
};
/** Issue 17: each extra call in a batch of 5 transfers (calls + one sliding limit), over the owner's. */
export const EXTRA_CALL_BAR = 3_000;
/** What each of the batch's four extra calls adds over the single transfer, session over owner. */
export const extraCallGas = (e: AccountEntry) => Math.round((e.overhead.batch5.spend - e.overhead.transfer.spend) / 4);
const NAME: Record<AccountKind, string> = { kernel: 'Kernel v3.1', nexus: 'Nexus 1.0', safe: 'Safe 1.4.1 + Safe7579' };
const SHAPE_LABEL: Record<Shape, string> = { transfer: 'one ERC-20 transfer', batch5: 'a batch of 5 ERC-20 transfers' };

export type AccountEntry = AccountResult & {
  ownerTransferGas: number;
  sessionTransferGas: number;
  sessionOverheadGas: number;
  withinBar: boolean;
  ownerTransferGasBeforeInstall: number;
  overhead: Record<Shape, Record<Exclude<Variant, 'owner'>, number>>;
};

export interface Results {
  generatedAt: string;
  commit: string;
  /** Uncommitted changes under contracts/ when the bench ran. */
  contractsDirty: boolean;
  runs: number;
  durationSeconds: number;
  measure: string;
  /** What each kind's `erc7710` figures are (older results have none). */
  erc7710Measure?: string;
  bar: { maxOverheadGas: number; met: boolean };
  kernel: AccountEntry;
  nexus: AccountEntry;
  safe: AccountEntry;
  keyStore: KeyStoreResult;
  extension: {
    size: ExtensionSize;
    timing: {
      status: string;
      requestToApprovalWindowMs: number;
      approveToGrantLandedMs: number;
      samples: { runs: number; requestToApprovalWindowMs: number[]; approveToGrantLandedMs: number[] };
    };
  };
  /** MetaMask's Delegation Framework beside Functor's two paths, same run (older results have none). */
  comparison?: Comparison;
}

/** Adds the headline figures to one account kind's measurements. */
export function entryOf(r: AccountResult): AccountEntry {
  const overhead = {} as AccountEntry['overhead'];
  for (const shape of SHAPES) {
    overhead[shape] = {
      calls: r[shape].calls.median - r[shape].owner.median,
      spend: r[shape].spend.median - r[shape].owner.median,
      payee: r[shape].payee.median - r[shape].owner.median,
      full: r[shape].full.median - r[shape].owner.median,
    };
  }
  return {
    ownerTransferGas: r.transfer.owner.median,
    sessionTransferGas: r.transfer.spend.median,
    sessionOverheadGas: overhead.transfer.spend,
    withinBar: overhead.transfer.spend <= BAR_GAS,
    ownerTransferGasBeforeInstall: r.ownerBeforeInstall.median,
    overhead,
    ...r,
  };
}

const n = (x: number) => x.toLocaleString('en-US');
const signed = (x: number) => (x >= 0 ? `+${n(x)}` : `−${n(-x)}`);
const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const spread = (s: Sample) => (s.runs.length > 1 ? ` (${n(Math.min(...s.runs))}–${n(Math.max(...s.runs))})` : '');

const KIND_LABEL: Record<(typeof KINDS)[number], string> = {
  transaction: 'transaction',
  coldStorage: 'cold storage reads',
  storageWrites: 'storage writes',
  coldAccounts: 'cold contracts',
  logs: 'events',
  precompiles: 'ecrecover',
  code: 'code',
};
const kindRow = (label: string, m: KindSplit, fmt = n) =>
  `| ${label} | ${KINDS.map((k) => fmt(m[k])).join(' | ')} | ${fmt(KINDS.reduce((s, k) => s + m[k], 0))} |`;
const kindDiff = (a: KindSplit, b: KindSplit) => Object.fromEntries(KINDS.map((k) => [k, a[k] - b[k]])) as KindSplit;

/** What the gas of one transfer is made of: the rules' state costs against the code around them. */
function renderMadeOf(r: Results, L: string[]) {
  if (!ACCOUNT_KINDS.every((k) => r[k].madeOf)) return;
  L.push('## What the gas of one transfer is made of', '');
  L.push(
    'From the struct-log trace (every opcode step, `bench/opcodes.ts`) of the same transactions: *transaction* is the intrinsic ' +
      'gas and calldata less refunds; *cold storage reads* are 2,100 per slot first read in the transaction; *storage writes* are ' +
      'SSTOREs; *cold contracts* are 2,600 per contract first called (or read) in the transaction; *events* are LOGs; *ecrecover* ' +
      'is the signature precompile; *code* is every other step: computation, memory, calldata, hashing, warm and transient ' +
      "storage, the warm part of calls. Each frame's split adds up to the gas the call trace gives it (the bench checks).",
    '',
  );
  const head = `| | ${KINDS.map((k) => KIND_LABEL[k]).join(' | ')} | total |`;
  const rule = `|---|${KINDS.map(() => '---:').join('|')}|---:|`;
  L.push(head, rule);
  for (const k of ACCOUNT_KINDS) {
    const m = r[k].madeOf!;
    L.push(kindRow(`${NAME[k]}: owner-signed`, m.owner.total));
    L.push(kindRow(`${NAME[k]}: ${VARIANT_LABEL.spend}`, m.spend.total));
    L.push(kindRow(`${NAME[k]}: **difference**`, kindDiff(m.spend.total, m.owner.total), signed));
  }
  L.push(
    '',
    "Functor's own frames in the session transfer (validator: the module's `validateUserOp`, FunctorPolicyHook, with the KeyStore inside it; preCheck and postCheck with their `authorizedStateOf` and `balanceOf` calls):",
    '',
  );
  L.push(head, rule);
  for (const k of ACCOUNT_KINDS) {
    const m = r[k].madeOf!.spend;
    for (const phase of ['validator', 'preCheck', 'postCheck'] as const) L.push(kindRow(`${NAME[k]}: ${phase}`, m[phase]));
  }
  renderWhoAdds(r, L, head, rule);
  L.push('', '### What the bar leaves for code', '');
  L.push(
    "The difference's costs other than code (the columns above but the last two) are prices the rules set: the slots they read " +
      'and write, the contracts they reach, the event, the signature check, the calldata. Under the bar on one transfer with calls + ' +
      "one sliding limit, the code of the overhead can take at most the bar less them. *Functor's frames* is the code of the three " +
      "frames above; *the account's* is the rest of the difference's code (the account's own paths with and without a key).",
    '',
    "| account | bar | the rules' costs | left for code | code now | of which Functor's frames | of which the account's | code over what is left |",
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const k of ACCOUNT_KINDS) {
    const m = r[k].madeOf!;
    const b = codeBudget(kindDiff(m.spend.total, m.owner.total), KIND_BARS[k].spend);
    const functor = m.spend.validator.code + m.spend.preCheck.code + m.spend.postCheck.code;
    L.push(
      `| ${NAME[k]} | ${n(KIND_BARS[k].spend)} | ${n(b.rules)} | ${n(b.left)} | ${n(b.code)} | ${n(functor)} | ${signed(b.code - functor)} | ${signed(b.over)} |`,
    );
  }
  L.push('');
}

/** The difference split by who spends it: the EntryPoint, the account's own code paths, the
 * validator and the hook, the token. What the account and the EntryPoint add is theirs: Functor's
 * code cannot remove it (older results, without the EntryPoint's and the calls' splits, skip it). */
function renderWhoAdds(r: Results, L: string[], head: string, rule: string) {
  if (!ACCOUNT_KINDS.every((k) => r[k].madeOf!.spend.entryPoint && r[k].madeOf!.owner.entryPoint)) return;
  L.push(
    '',
    'Who adds the difference (session: calls + sliding spend limit, less owner-signed), by frame: *the EntryPoint* is its own frame ' +
      "(the bundle's calldata, its loops, the ABI encoding of the call into the account); *the account* is the account's own frames " +
      "(its validation and execution paths, without the modules and the calls they make); *validator and hook* is FunctorPolicyHook's " +
      "frames with the KeyStore and `balanceOf` inside them, less the owner's validator and, on Nexus and Safe7579, the hook's " +
      "pass-through; *the transfer* is the token's `transfer` (its cold contract and slot are read first by preCheck).",
    '',
  );
  L.push(head, rule);
  for (const k of ACCOUNT_KINDS) {
    const { spend, owner } = r[k].madeOf!;
    const module = (m: MadeOf) => KINDS.reduce((o, x) => ({ ...o, [x]: m.validator[x] + m.preCheck[x] + m.postCheck[x] }), {} as KindSplit);
    L.push(kindRow(`${NAME[k]}: the EntryPoint`, kindDiff(spend.entryPoint!, owner.entryPoint!), signed));
    L.push(kindRow(`${NAME[k]}: the account`, kindDiff(accountOwn(spend), accountOwn(owner)), signed));
    L.push(kindRow(`${NAME[k]}: validator and hook`, kindDiff(module(spend), module(owner)), signed));
    L.push(kindRow(`${NAME[k]}: the transfer`, kindDiff(spend.calls!, owner.calls!), signed));
  }
}

/** The ERC-7710 redemption of one transfer beside the session UserOp of the same transfer, same key. */
function renderErc7710(r: Results, L: string[]) {
  if (!ACCOUNT_KINDS.every((k) => r[k].erc7710)) return;
  L.push('## One transfer: session UserOp or ERC-7710 redemption', '');
  L.push(
    `| account | ${VARIANT_LABEL.spend} (UserOp: handleOps bundle) | ERC-7710 redemption (agent's transaction) | redemption − UserOp |`,
    '|---|---:|---:|---:|',
  );
  for (const k of ACCOUNT_KINDS) {
    const e = r[k].erc7710!;
    L.push(`| ${NAME[k]} | ${n(e.userOpBundleGasUsed)} | ${n(e.gasUsed.median)}${spread(e.gasUsed)} | ${signed(e.redemptionMinusUserOp)} |`);
  }
  L.push(
    '',
    `Medians of ${r.runs} runs; the redemption's range in brackets. The same key (calls + one sliding spend limit), the same transfer. ` +
      (r.erc7710Measure ? `**Redemption:** ${r.erc7710Measure} ` : '') +
      "The UserOp column is the figure of the table above (the bundler pays it, charged to the account's EntryPoint deposit); " +
      "the agent pays the redemption. Neither figure includes the other path's overhead.",
    '',
  );
}

/** MetaMask's periodic-transfer delegation beside Functor's ERC-7710 and UserOp paths, same run. */
function renderComparison(r: Results, L: string[]) {
  const c = r.comparison;
  if (!c) return;
  const m = c.metamask;
  const x = (v: number) => `${v.toFixed(2)}×`;
  L.push("## Side by side with MetaMask's Delegation Framework", '');
  L.push(
    `The same 1-USDC transfer by an agent under a 24-hour limit. MetaMask: a ${m.implementation} smart account's delegation ` +
      `(caveats ${m.caveats.join(', ')}), redeemed by the agent through the DelegationManager: ` +
      `**${n(m.gasUsed.median)}** gas${spread(m.gasUsed)}.`,
    '',
    '| account | Functor ERC-7710 redemption | ÷ MetaMask | Functor session UserOp (handleOps bundle) | ÷ MetaMask |',
    '|---|---:|---:|---:|---:|',
  );
  for (const k of ACCOUNT_KINDS) {
    const f = c.functor[k];
    L.push(`| ${NAME[k]} | ${n(f.erc7710RedemptionGas)} | ${x(f.erc7710OverMetaMask)} | ${n(f.userOpBundleGas)} | ${x(f.userOpOverMetaMask)} |`);
  }
  L.push(
    '',
    `Medians of ${r.runs} runs. **Measure:** ${c.measure}`,
    '',
    `**What each guarantees.** *MetaMask:* ${c.guarantees.metamask} *Functor, ERC-7710:* ${c.guarantees.functorErc7710} ` +
      `*Functor, UserOp:* ${c.guarantees.functorUserOp}`,
    '',
  );
}

/** What the account's deposit is charged (UserOperationEvent.actualGasUsed), beside the bundle's gasUsed. */
function renderCharged(r: Results, L: string[]) {
  if (!ACCOUNT_KINDS.every((k) => r[k].transfer.spend.actualGasUsed?.length && r[k].transfer.owner.actualGasUsed?.length)) return;
  L.push('## What the account is charged for one transfer', '');
  L.push(
    "UserOperationEvent's `actualGasUsed`, which the account's EntryPoint deposit pays: the op's own gas, the bundler's " +
      "preVerificationGas (its price for the bundle's share, not what the bundle used) and the EntryPoint's 10% penalty on the " +
      "call gas the op left unused (the session account gives Kernel's call gas itself, `lib/agent/callGas.ts`). " +
      "Medians of the same runs. The bars are on the bundle's gasUsed (the tables above); this is what a user's deposit sees.",
    '',
  );
  L.push('| account | owner-signed | session: calls + sliding spend limit | difference | charged over the bundle’s gasUsed |');
  L.push('|---|---:|---:|---:|---:|');
  for (const k of ACCOUNT_KINDS) {
    const owner = median(r[k].transfer.owner.actualGasUsed);
    const spend = median(r[k].transfer.spend.actualGasUsed);
    L.push(`| ${NAME[k]} | ${n(owner)} | ${n(spend)} | ${signed(spend - owner)} | ${signed(spend - r[k].transfer.spend.median)} |`);
  }
  L.push('');
}

export function renderMarkdown(r: Results): string {
  const L: string[] = [];
  L.push('# Functor benchmarks', '');
  L.push(
    `Generated by \`npm run bench\` on ${r.generatedAt.slice(0, 10)} at commit \`${r.commit.slice(0, 10)}\`${r.contractsDirty ? ' (with uncommitted contract changes)' : ''}, ` +
      `in ${Math.round(r.durationSeconds)} s. Every figure below comes from a receipt of that run; nothing is typed in. ` +
      `Method and where the gas goes: [README.md](README.md).`,
    '',
  );
  L.push(`**Measure:** ${r.measure}`, '');
  const verdict = (x: number, bar: number) => `${signed(x)} (≤ ${n(bar)}: ${x <= bar ? 'met' : '**not met**'})`;
  L.push(
    "**Issue 17's bars**, each over the same account's owner-signed transfer (figures from the tables below):",
    '',
    '| account | one transfer, calls + one sliding limit | the same with rate limit and expiry | each extra call in a batch of 5 |',
    '|---|---:|---:|---:|',
    ...ACCOUNT_KINDS.map(
      (k) =>
        `| ${NAME[k]} | ${verdict(r[k].overhead.transfer.spend, KIND_BARS[k].spend)} | ${verdict(r[k].overhead.transfer.full, KIND_BARS[k].full)} | ${verdict(extraCallGas(r[k]), EXTRA_CALL_BAR)} |`,
    ),
    '',
  );
  L.push(
    `**The stretch bar:** a session-key transfer with calls + one sliding spend limit costs at most ${n(r.bar.maxOverheadGas)} gas more than the same account's owner-signed transfer: ` +
      (r.bar.met ? '**met** on every account kind.' : `**not met** (${ACCOUNT_KINDS.filter((k) => !r[k].withinBar).join(', ')} above).`),
    '',
  );
  for (const shape of SHAPES) {
    L.push(`## Gas of ${SHAPE_LABEL[shape]}`, '');
    L.push(`| account | ${VARIANTS.map((v) => VARIANT_LABEL[v]).join(' | ')} |`);
    L.push(`|---|${VARIANTS.map(() => '---:').join('|')}|`);
    for (const k of ACCOUNT_KINDS) {
      const e = r[k];
      const cells = VARIANTS.map((v) => (v === 'owner' ? n(e[shape].owner.median) : `${n(e[shape][v].median)} (${signed(e.overhead[shape][v])})`));
      L.push(`| ${NAME[k]} | ${cells.join(' | ')} |`);
    }
    L.push('', `Medians of ${r.runs} runs; in brackets, the overhead over the owner-signed column.`, '');
    // Older results have no payee column.
    if (ACCOUNT_KINDS.every((k) => r[k][shape].payee)) {
      const cost = ACCOUNT_KINDS.map((k) => `${NAME[k]} ${signed(r[k][shape].payee.median - r[k][shape].spend.median)}`).join(', ');
      L.push(
        `**One argument condition** (the transfer's recipient one of the five bench recipients, checked in validation and again in execution), over the same key without it: ${cost}.`,
        '',
      );
    }
  }
  renderCharged(r, L);
  renderErc7710(r, L);
  renderComparison(r, L);
  L.push('## Where the gas of one transfer goes', '');
  L.push(
    'From the call trace (`debug_traceTransaction`, callTracer) of the last measured run of each variant: gas used inside each ' +
      "frame, its sub-calls included. *EntryPoint* is the bundle's own share (intrinsic gas, calldata, the EntryPoint's " +
      "loops and bookkeeping); *validation* is the account's `validateUserOp` and *validator* the module inside it " +
      "(Functor's module, FunctorPolicyHook, with the KeyStore; the owner's validator, or the Safe's " +
      "`checkSignatures`); *execution* is the account's `execute`/`executeUserOp` with the hook and the transfer inside it; " +
      "*event* is the LOG cost of `KeyExecuted` (part of postCheck). A CALL's own price (100, or 2,600 for a cold account) is " +
      "the caller's.",
    '',
  );
  const PHASE_COLS = ['total', 'entryPoint', 'validation', 'validator', 'execution', 'preCheck', 'calls', 'postCheck', 'auditEvent'] as const;
  L.push('| account | variant | bundle | EntryPoint | validation | validator | execution | preCheck | transfer | postCheck | event |');
  L.push(`|---|---|${PHASE_COLS.map(() => '---:').join('|')}|`);
  for (const k of ACCOUNT_KINDS) {
    const p = r[k].phases;
    if (!p) continue;
    for (const v of ['owner', 'spend'] as const) L.push(`| ${NAME[k]} | ${VARIANT_LABEL[v]} | ${PHASE_COLS.map((c) => n(p[v][c])).join(' | ')} |`);
    L.push(`| ${NAME[k]} | **difference** | ${PHASE_COLS.map((c) => signed(p.spend[c] - p.owner[c])).join(' | ')} |`);
  }
  L.push('');
  renderMadeOf(r, L);
  L.push("## The owner's own transfer, before and after installing Functor", '');
  L.push('| account | before install | after install | difference |', '|---|---:|---:|---:|');
  for (const k of ACCOUNT_KINDS) {
    const e = r[k];
    L.push(
      `| ${NAME[k]} | ${n(e.ownerTransferGasBeforeInstall)} | ${n(e.ownerTransferGas)} | ${signed(e.ownerTransferGas - e.ownerTransferGasBeforeInstall)} |`,
    );
  }
  L.push(
    '',
    'Nexus and Safe7579 run their global hook on every `execute`, the owner\'s too (FunctorPolicyHook passes it through); Kernel runs the hook only for the validation it is bound to (FunctorPolicyHook, validator and hook at one address). The overheads above are over the "after install" figure: the same account, in the same state.',
    '',
  );
  L.push('## Installing the modules', '');
  L.push('| account | gas (owner UserOp bundle, median; range) |', '|---|---:|');
  for (const k of ACCOUNT_KINDS) L.push(`| ${NAME[k]} | ${n(r[k].install.median)}${spread(r[k].install)} |`);
  L.push('', 'FunctorPolicyHook as validator and hook on a deployed account, one owner UserOp, each on fresh accounts of the kind.', '');
  L.push('## Granting a key', '');
  L.push('| account | gas (owner UserOp bundle, median; range) |', '|---|---:|');
  for (const k of ACCOUNT_KINDS) L.push(`| ${NAME[k]} | ${n(r[k].grant.median)}${spread(r[k].grant)} |`);
  L.push(
    '',
    "A key as the extension grants it, on each of those accounts right after the install (its first key): one owner UserOp with `KeyStore.register` (one signer, enabled on the account) and `setPolicies` (calls + one sliding spend limit). It includes the owner op's own cost (EntryPoint, the owner's validation); the KeyStore table below gives the register transaction alone.",
    '',
  );
  L.push('## KeyStore', '');
  L.push('| operation | gas (median; range) | bar (issue 17) |', '|---|---:|---|');
  const ks = r.keyStore;
  // The bars: revoking on N accounts at most 30,000 + 8,000·N; register + enable on the caller 180,000.
  const revokeBar = (accounts: number) => 30_000 + 8_000 * accounts;
  const rows: [string, Sample, number?][] = [
    ['register a key (1 signer, no account)', ks.register],
    ['register a key (1 signer) and enable it on the caller', ks.registerEnableSelf, 180_000],
    ['enable on 1 account', ks.enable1],
    ['enable on 2 accounts', ks.enable2],
    ['enable on 3 accounts', ks.enable3],
    ['rotate a signer (key on 1 account)', ks.rotateSigner1],
    ['rotate a signer (key on 3 accounts)', ks.rotateSigner3],
    ['revoke (key on 1 account)', ks.revoke1, revokeBar(1)],
    ['revoke (key on 3 accounts)', ks.revoke3, revokeBar(3)],
    ['revoke (key on 10 accounts)', ks.revoke10, revokeBar(10)],
  ];
  for (const [label, s, bar] of rows) {
    const verdict = bar === undefined ? '' : `≤ ${n(bar)}: ${s.median <= bar ? 'met' : '**not met**'}`;
    L.push(`| ${label} | ${n(s.median)}${spread(s)} | ${verdict} |`);
  }
  L.push(
    '',
    "Plain transactions from an EOA controller: tx gasUsed, with the 21,000 intrinsic gas and calldata. Accounts consent to `enable` with ECDSA signatures (EOAs); a smart account's ERC-1271 check adds its own cost.",
    '',
  );
  L.push('## The extension', '');
  const s = r.extension.size;
  L.push('| what | size | gzip -9 |', '|---|---:|---:|');
  L.push(`| \`${s.dir}\` (${s.files} files) | ${kb(s.bytes)} | ${kb(s.gzipBytes)} |`);
  if (s.popupJs) L.push(`| popup JavaScript (${s.popupJs.files.map((f) => `\`${f}\``).join(', ')}) | ${kb(s.popupJs.bytes)} | ${kb(s.popupJs.gzipBytes)} |`);
  L.push('', `### Extension timings: ${r.extension.timing.status}`, '');
  const t = r.extension.timing;
  L.push(
    "In real Chromium with the built extension, against this devnet (Alto lands an op in a few seconds): a dapp's " +
      '`wallet_requestExecutionPermissions` (erc20-token-periodic, on a deployed Kernel with Functor installed) until the ' +
      'approval window shows its Approve button; then from the click on Approve until the dapp holds the answer (the key ' +
      'registered and its policy set, onchain).',
    '',
    '| step | median | runs (ms) |',
    '|---|---:|---|',
    `| request → approval window shown | ${n(t.requestToApprovalWindowMs)} ms | ${t.samples.requestToApprovalWindowMs.join(', ')} |`,
    `| Approve → grant landed | ${n(t.approveToGrantLandedMs)} ms | ${t.samples.approveToGrantLandedMs.join(', ')} |`,
    '',
  );
  L.push('![gas chart](results.svg)', '');
  return L.join('\n');
}

const COLORS: Record<Variant, string> = { owner: '#64748b', calls: '#0ea5e9', spend: '#6366f1', payee: '#14b8a6', full: '#a855f7' };

export function renderSvg(r: Results): string {
  const W = 760;
  const panelH = 250;
  const top = 72;
  const left = 64;
  const plotW = W - left - 16;
  const H = top + SHAPES.length * (panelH + 40) + 10;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${left}" y="20" font-size="14" font-weight="600">Gas per UserOp bundle (median of ${r.runs}), owner vs session key</text>`);
  VARIANTS.forEach((v, i) => {
    const x = left + (i % 2) * 300;
    const y = 30 + Math.floor(i / 2) * 15;
    out.push(`<rect x="${x}" y="${y}" width="10" height="10" fill="${COLORS[v]}"/><text x="${x + 14}" y="${y + 9}">${VARIANT_LABEL[v]}</text>`);
  });
  SHAPES.forEach((shape, si) => {
    const y0 = top + si * (panelH + 40);
    const max = Math.max(...ACCOUNT_KINDS.flatMap((k) => VARIANTS.map((v) => r[k][shape][v].median)));
    const scale = (panelH - 30) / (Math.ceil(max / 50_000) * 50_000);
    const base = y0 + panelH;
    out.push(`<text x="${left}" y="${y0 + 8}" font-weight="600">${SHAPE_LABEL[shape]}</text>`);
    for (let g = 0; g * 50_000 <= max + 50_000 && g * 50_000 * scale <= panelH - 20; g++) {
      const y = base - g * 50_000 * scale;
      out.push(
        `<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#e2e8f0"/><text x="${left - 6}" y="${y + 4}" text-anchor="end" fill="#475569">${g * 50}k</text>`,
      );
    }
    const groupW = plotW / ACCOUNT_KINDS.length;
    const barW = (groupW - 40) / VARIANTS.length;
    ACCOUNT_KINDS.forEach((k, ki) => {
      const gx = left + ki * groupW + 20;
      VARIANTS.forEach((v, vi) => {
        const val = r[k][shape][v].median;
        const h = val * scale;
        const x = gx + vi * barW;
        out.push(
          `<rect x="${x.toFixed(1)}" y="${(base - h).toFixed(1)}" width="${(barW - 3).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[v]}"><title>${NAME[k]}, ${VARIANT_LABEL[v]}: ${n(val)} gas</title></rect>`,
        );
        const label = v === 'owner' ? `${Math.round(val / 1000)}k` : `+${(r[k].overhead[shape][v] / 1000).toFixed(1)}k`;
        out.push(`<text x="${(x + (barW - 3) / 2).toFixed(1)}" y="${(base - h - 4).toFixed(1)}" text-anchor="middle" fill="#0f172a">${label}</text>`);
      });
      if (shape === 'transfer') {
        const y = base - (r[k].transfer.owner.median + BAR_GAS) * scale;
        out.push(`<line x1="${gx - 4}" x2="${gx + groupW - 36}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#dc2626" stroke-dasharray="4 3"/>`);
      }
      out.push(`<text x="${(gx + (groupW - 40) / 2).toFixed(1)}" y="${base + 16}" text-anchor="middle" font-weight="600">${NAME[k]}</text>`);
    });
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${base}" y2="${base}" stroke="#334155"/>`);
    if (shape === 'transfer')
      out.push(`<text x="${left + plotW}" y="${y0 + 8}" text-anchor="end" fill="#dc2626">dashed: owner + ${n(BAR_GAS)} (the bar)</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

export function writeReports(dir: string, r: Results) {
  writeFileSync(path.join(dir, 'results.json'), JSON.stringify(r, null, 2) + '\n');
  writeFileSync(path.join(dir, 'results.md'), renderMarkdown(r));
  writeFileSync(path.join(dir, 'results.svg'), renderSvg(r));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const r = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as Results;
  writeReports(dir, r);
  console.log('rendered bench/results.md and bench/results.svg from bench/results.json');
}
