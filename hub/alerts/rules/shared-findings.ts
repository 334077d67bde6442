/**
 * Findings shared between configurations evaluated at the same instant on the same samples (the
 * back-test replays the current and a candidate configuration side by side). A rule family's
 * findings are a pure function of the samples, the instant, the family's own settings and the open
 * severity of the family's own rule ids; a candidate usually changes one setting, so every other
 * family's findings for it equal the current configuration's, and are taken from there instead of
 * evaluated again (measured: a quarter of a back-test's time). The live engine evaluates one
 * configuration and passes no SharedFindings: for it nothing here runs.
 */
import { DEFAULT_NEWS2 } from './news2.js';
import { withDefaults } from './samples.js';
import { resolveThresholds } from './threshold-defaults.js';
import { DEFAULT_BASELINES, weightGainSettings } from './trends.js';
import type { AlertSeverity, BaselineSetting, ComponentKey, ComponentThreshold, PatientContext, RuleFinding } from './types.js';

/** One instant's findings per family print; make one per instant and samples array, never reuse it across either. */
export type SharedFindings = Map<number, readonly RuleFinding[]>;

export interface FamilyPrints {
  readonly thresholds: readonly { readonly key: ComponentKey; readonly threshold: ComponentThreshold; readonly print: number }[];
  readonly news2: number;
  readonly weightGain: number;
  readonly baselines: readonly { readonly setting: BaselineSetting; readonly print: number }[];
}

// Contexts are built once per back-test and never changed: their prints are computed once.
const prints = new WeakMap<PatientContext, FamilyPrints>();

// A print is a number: hashing a long settings string at every lookup cost more than it saved.
// Bounded by the distinct settings seen (a handful per configuration); a process that back-tests
// for years could grow it, so it starts over past a limit (prints of live contexts stay valid:
// those contexts keep theirs, and a new context's prints just do not match an old one's).
const ids = new Map<string, number>();
const MAX_PRINTS = 100_000;
function printId(text: string): number {
  let id = ids.get(text);
  if (id === undefined) {
    if (ids.size >= MAX_PRINTS) ids.clear();
    ids.set(text, (id = nextId++));
  }
  return id;
}
let nextId = 1;

export function familyPrints(context: PatientContext): FamilyPrints {
  let p = prints.get(context);
  if (p) return p;
  p = {
    thresholds: [...resolveThresholds(context)].map(([key, threshold]) => ({ key, threshold, print: printId(`threshold|${key}|${JSON.stringify(threshold)}`) })),
    news2: printId(`news2|${JSON.stringify(withDefaults(DEFAULT_NEWS2, context.news2))}|${String(context.hypercapnicRespiratoryFailure)}|${String(context.onLongTermOxygen)}`),
    weightGain: printId(`weight|${JSON.stringify(weightGainSettings(context))}`),
    baselines: (context.baselines ?? DEFAULT_BASELINES).map((setting) => ({ setting, print: printId(`baseline|${JSON.stringify(setting)}`) })),
  };
  prints.set(context, p);
  return p;
}

const SEVERITY_CODE: Readonly<Record<string, number>> = { info: 1, low: 2, medium: 3, high: 4, urgent: 5 };

/** `run()`'s findings, or those another configuration got for the same print and open severities (at most two). */
export function sharedOnce(shared: SharedFindings | undefined, print: number, open: readonly [AlertSeverity | undefined, AlertSeverity?], run: () => RuleFinding[]): readonly RuleFinding[] {
  if (!shared) return run();
  const id = print * 64 + (open[0] === undefined ? 0 : SEVERITY_CODE[open[0]]!) * 8 + (open[1] === undefined ? 0 : SEVERITY_CODE[open[1]]!);
  let found = shared.get(id);
  if (!found) shared.set(id, (found = run()));
  return found;
}
