/** A rule id as words ("Threshold: Systolic (Blood pressure)") with the id itself beside it for the JSON editor. */
import type { TFunction } from 'i18next';
import { ruleParts } from '../../lib/analytics.js';

export function ruleText(t: TFunction, rule: string): string {
  const { kind, subject } = ruleParts(rule);
  const [vital, component] = subject.split('.');
  const what = subject === 'weight_gain'
    ? t('analytics.weightGain')
    : !vital
    ? ''
    : component
      ? `${t(`component.${component}`, { defaultValue: component })} (${t(`vital.${vital}`, { defaultValue: vital })})`
      : t(`vital.${vital}`, { defaultValue: vital });
  const kindText = t(`analytics.ruleKind.${kind}`, { defaultValue: kind });
  return what ? `${kindText}: ${what}` : kindText;
}

export function RuleName({ t, rule }: { t: TFunction; rule: string }) {
  return (
    <>
      {ruleText(t, rule)} <code class="rule-id">{rule}</code>
    </>
  );
}
