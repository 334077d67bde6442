/**
 * NEWS2 (Royal College of Physicians, 2017) from what is measured at home.
 *
 * Each parameter comes from its latest current reading (not late, not implausible) within
 * `windowHours` of now; respiration rate, air/oxygen and consciousness also from assisted entries
 * (a nurse's visit, a carer's tablet), taking whichever is newer. Air/oxygen falls back to the
 * patient's long-term-oxygen setting. A parameter with no value at all is `missing`; one whose
 * latest value is older than the window is `stale`; neither is scored, so the total of an
 * incomplete set is a lower bound and the summary says so. With SpO2 scale 2 and air/oxygen unknown
 * the SpO2 is scored as on air (the lower score; the summary lists air/oxygen as missing).
 *
 * Alerting (home adaptation of RCP Chart 2): fires from `fireFromTotal` (default 5) or on any
 * single-parameter 3. Severity: high risk (>= 7) -> urgent, medium (5-6) -> high, low-medium (red
 * score) -> medium, low (1-4, only if fireFromTotal is lowered) -> low. RCP's response to 1-4 on a
 * ward is a nurse's assessment; at home the routine dashboard review covers that.
 */
import { AIR_OR_OXYGEN_SCORE, CONSCIOUSNESS, NEWS2_PARAMETERS, PULSE, RESPIRATION_RATE, SYSTOLIC_BP, TEMPERATURE, news2Risk, scoreFromChart, scoreSpO2 } from './news2-chart.js';
import type { News2Parameter, News2Risk, News2Score, SpO2Scale } from './news2-chart.js';
import { isPassive } from './passive.js';
import { clearedFinding } from './severity.js';
import { hoursBefore, latestSample, withDefaults } from './samples.js';
import type { Acvpu, AlertSeverity, AssistedObservations, ComponentKey, News2Settings, OpenAlerts, PatientContext, RuleFinding, VitalSample } from './types.js';

export const NEWS2_RULE_ID = 'news2';

export const DEFAULT_NEWS2: News2Settings = { enabled: true, windowHours: 4, fireFromTotal: 5 };

export interface News2Values {
  readonly respirationRate?: number;
  readonly spo2?: number;
  readonly onOxygen?: boolean;
  readonly systolicBP?: number;
  readonly pulse?: number;
  readonly consciousness?: Acvpu;
  readonly temperature?: number;
}

export interface News2Scores {
  readonly total: number;
  readonly scores: Readonly<Partial<Record<News2Parameter, News2Score>>>;
  /** Some single parameter scored 3. */
  readonly redScore: boolean;
  readonly risk: News2Risk;
}

/** Scores the given values on the RCP chart; absent parameters are not scored. */
export function scoreNews2(values: News2Values, scale: SpO2Scale): News2Scores {
  const scores: Partial<Record<News2Parameter, News2Score>> = {};
  if (values.respirationRate !== undefined) scores.respirationRate = scoreFromChart(RESPIRATION_RATE, values.respirationRate);
  if (values.spo2 !== undefined) scores.spo2 = scoreSpO2(values.spo2, scale, values.onOxygen === true);
  if (values.onOxygen !== undefined) scores.airOrOxygen = values.onOxygen ? AIR_OR_OXYGEN_SCORE.oxygen : AIR_OR_OXYGEN_SCORE.air;
  if (values.systolicBP !== undefined) scores.systolicBP = scoreFromChart(SYSTOLIC_BP, values.systolicBP);
  if (values.pulse !== undefined) scores.pulse = scoreFromChart(PULSE, values.pulse);
  if (values.consciousness !== undefined) scores.consciousness = CONSCIOUSNESS[values.consciousness];
  if (values.temperature !== undefined) scores.temperature = scoreFromChart(TEMPERATURE, values.temperature, 0.1);
  const all = Object.values(scores);
  const total = all.reduce<number>((sum, s) => sum + s, 0);
  const redScore = all.some((s) => s === 3);
  return { total, scores, redScore, risk: news2Risk(total, redScore) };
}

export interface News2Input {
  readonly value: number | boolean | Acvpu;
  readonly at?: Date;
  readonly readingId?: string;
  readonly source: 'device' | 'assisted' | 'context';
}

export interface News2Result extends News2Scores {
  readonly scale: SpO2Scale;
  readonly inputs: Readonly<Partial<Record<News2Parameter, News2Input>>>;
  readonly missing: readonly News2Parameter[];
  readonly stale: readonly News2Parameter[];
  /** Every parameter scored: the total is the score, not a lower bound. */
  readonly complete: boolean;
  /** Scored parameters entered by people (a nurse's count, ACVPU, a typed-in value). */
  readonly fromPeople: readonly News2Parameter[];
  /** Scored parameters sent by devices. */
  readonly fromDevices: readonly News2Parameter[];
}

const DEVICE_KEY: Partial<Record<News2Parameter, ComponentKey>> = {
  respirationRate: 'respiratory_rate.respiratoryRate',
  spo2: 'spo2.spo2',
  systolicBP: 'blood_pressure.systolic',
  pulse: 'heart_rate.heartRate',
  temperature: 'body_temperature.temperature',
};

const ASSISTED: Partial<Record<News2Parameter, keyof AssistedObservations>> = {
  respirationRate: 'respiratoryRate',
  airOrOxygen: 'onOxygen',
  consciousness: 'consciousness',
};

/** Picks the NEWS2 inputs from samples and assisted entries and scores them. */
export function computeNews2(
  context: Pick<PatientContext, 'hypercapnicRespiratoryFailure' | 'onLongTermOxygen'>,
  samples: readonly VitalSample[],
  assisted: AssistedObservations,
  now: Date,
  windowHours: number = DEFAULT_NEWS2.windowHours,
  parameterWindowHours: News2Settings['parameterWindowHours'] = {},
): News2Result {
  const inputs: Partial<Record<News2Parameter, News2Input>> = {};
  const missing: News2Parameter[] = [];
  const stale: News2Parameter[] = [];
  for (const p of NEWS2_PARAMETERS) {
    const from = hoursBefore(now, parameterWindowHours?.[p] ?? windowHours).getTime();
    const key = DEVICE_KEY[p];
    const device = key ? latestSample(samples, { key, now }) : undefined;
    // A typed-in value sits in the device series, marked manual: it counts as entered by a person.
    let newest: News2Input | undefined = device && { value: device.value, at: device.measuredAt, readingId: device.readingId, source: device.source === 'manual' ? 'assisted' : 'device' };
    const a = ASSISTED[p] ? assisted[ASSISTED[p]] : undefined;
    // The newer of the two; on a tie the device's.
    if (a && a.at.getTime() <= now.getTime() && (newest?.at === undefined || a.at.getTime() > newest.at.getTime())) newest = { value: a.value, at: a.at, ...(a.id ? { readingId: a.id } : {}), source: 'assisted' };
    if (newest?.at && newest.at.getTime() >= from) inputs[p] = newest;
    else if (p === 'airOrOxygen' && context.onLongTermOxygen !== undefined) inputs[p] = { value: context.onLongTermOxygen, source: 'context' };
    else if (newest) stale.push(p);
    else missing.push(p);
  }
  const num = (p: News2Parameter) => (typeof inputs[p]?.value === 'number' ? inputs[p].value : undefined);
  const oxygen = inputs.airOrOxygen?.value;
  const consciousness = inputs.consciousness?.value;
  const scale: SpO2Scale = context.hypercapnicRespiratoryFailure ? 2 : 1;
  const scored = scoreNews2(
    {
      respirationRate: num('respirationRate'),
      spo2: num('spo2'),
      onOxygen: typeof oxygen === 'boolean' ? oxygen : undefined,
      systolicBP: num('systolicBP'),
      pulse: num('pulse'),
      consciousness: typeof consciousness === 'string' ? consciousness : undefined,
      temperature: num('temperature'),
    },
    scale,
  );
  const scoredBy = (source: News2Input['source']) => NEWS2_PARAMETERS.filter((p) => inputs[p]?.source === source);
  return { ...scored, scale, inputs, missing, stale, complete: missing.length === 0 && stale.length === 0, fromPeople: scoredBy('assisted'), fromDevices: scoredBy('device') };
}

const NAME: Record<News2Parameter, string> = {
  respirationRate: 'respiration rate',
  spo2: 'SpO2',
  airOrOxygen: 'air/oxygen',
  systolicBP: 'systolic BP',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'temperature',
};

const SEVERITY: Record<News2Risk, AlertSeverity> = { high: 'urgent', medium: 'high', 'low-medium': 'medium', low: 'low' };

export function news2Summary(r: News2Result): string {
  const scored = Object.keys(r.scores).length;
  const parts = [`${r.risk} risk`, `scale ${r.scale}`];
  const reds = (Object.entries(r.scores) as [News2Parameter, News2Score][]).filter(([, s]) => s === 3).map(([p]) => NAME[p]);
  if (reds.length > 0) parts.push(`3 in ${reds.join(', ')}`);
  if (scored < NEWS2_PARAMETERS.length) {
    const absent = [...r.missing, ...r.stale].map((p) => NAME[p]);
    parts.push(`${scored} of ${NEWS2_PARAMETERS.length} parameters, not scored: ${absent.join(', ')}`);
  }
  if (r.fromPeople.length > 0) parts.push(`entered by staff: ${r.fromPeople.map((p) => NAME[p]).join(', ')}`);
  // Incomplete: the total is a lower bound (an unscored parameter can only add to it).
  return `NEWS2 ${scored < NEWS2_PARAMETERS.length ? '≥ ' : ''}${r.total}${scored < NEWS2_PARAMETERS.length ? ', incomplete' : ''} (${parts.join('; ')})`;
}

/** The NEWS2 rule: fires on a red score or from fireFromTotal; nothing when no parameter is fresh. */
export function evaluateNews2(
  context: PatientContext,
  samples: readonly VitalSample[],
  assisted: AssistedObservations,
  now: Date,
  open: OpenAlerts = {},
): RuleFinding[] {
  const settings = withDefaults(DEFAULT_NEWS2, context.news2);
  if (!settings.enabled || isPassive(context, now)) return [];
  const r = computeNews2(context, samples, assisted, now, settings.windowHours, settings.parameterWindowHours);
  const measured = Object.values<News2Input>(r.inputs).filter((i) => i.source !== 'context');
  if (measured.length === 0) return [];
  const firing = r.redScore || r.total >= settings.fireFromTotal;
  const held = open[NEWS2_RULE_ID];
  // Most evaluations neither fire nor clear: the evidence and text are written only for a finding.
  if (!firing && held === undefined) return [];
  const evidence = {
    readingIds: measured.flatMap((i) => (i.readingId ? [i.readingId] : [])),
    values: {
      total: r.total,
      scale: r.scale,
      risk: r.risk,
      redScore: r.redScore,
      ...Object.fromEntries(Object.entries(r.scores).map(([p, s]) => [`score.${p}`, s])),
      missing: [...r.missing, ...r.stale].join(',') || null,
      complete: r.complete,
      enteredByStaff: r.fromPeople.join(',') || null,
      fromDevices: r.fromDevices.join(',') || null,
    },
  };
  if (firing) return [{ ruleId: NEWS2_RULE_ID, audience: 'clinical', severity: SEVERITY[r.risk], summary: news2Summary(r), evidence, condition: 'firing' }];
  return held === undefined ? [] : [clearedFinding(NEWS2_RULE_ID, 'clinical', held, news2Summary(r), evidence)];
}
