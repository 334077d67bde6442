/**
 * Data quality: readings outside the catalogue's plausible range (a cuff reading 310 mmHg, a scale
 * reading 4 kg). They never feed a clinical rule; this rule tells technical support, because a
 * device that keeps producing them needs checking or replacing. One finding per kind while such a
 * reading lies in the look-back window (default 24 h), severity low.
 */
import { clearedFinding } from './severity.js';
import { HOUR_MS } from './samples.js';
import type { OpenAlerts, RuleFinding, VitalKind, VitalSample } from './types.js';

export const implausibleRuleId = (kind: VitalKind): string => `implausible:${kind}`;

export const DEFAULT_IMPLAUSIBLE_LOOKBACK_HOURS = 24;

/** Firing per kind with implausible readings in the window; cleared for open implausible:* alerts without. */
export function evaluateImplausible(
  samples: readonly VitalSample[],
  now: Date,
  open: OpenAlerts = {},
  lookbackHours = DEFAULT_IMPLAUSIBLE_LOOKBACK_HOURS,
): RuleFinding[] {
  const from = now.getTime() - lookbackHours * HOUR_MS;
  const byKind = new Map<VitalKind, VitalSample[]>();
  for (const s of samples) {
    const t = s.measuredAt.getTime();
    if (!s.implausible || t < from || t > now.getTime()) continue;
    byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
  }
  const findings: RuleFinding[] = [];
  for (const [kind, bad] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
    const ids = [...new Set(bad.map((s) => s.readingId))];
    const example = bad.at(-1)!;
    findings.push({
      ruleId: implausibleRuleId(kind),
      audience: 'technical',
      severity: 'low',
      summary: `${ids.length} implausible ${kind.replace(/_/g, ' ')} reading(s) in ${lookbackHours} h, e.g. ${example.component} ${example.value}: check the device`,
      evidence: { readingIds: ids.slice(-10), values: { count: ids.length, component: example.component, value: example.value } },
      condition: 'firing',
    });
  }
  for (const [ruleId, held] of Object.entries(open)) {
    if (!ruleId.startsWith('implausible:') || findings.some((f) => f.ruleId === ruleId)) continue;
    findings.push(clearedFinding(ruleId, 'technical', held, `No implausible readings in ${lookbackHours} h`));
  }
  return findings;
}
