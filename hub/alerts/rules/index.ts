/** The pure alert rules: everything the alert engine calls. No I/O, no clock, no randomness. */
export * from './types.js';
export * from './severity.js';
export * from './samples.js';
export * from './passive.js';
export * from './threshold-defaults.js';
export * from './thresholds.js';
export * from './news2-chart.js';
export * from './news2.js';
export * from './trends.js';
export * from './schedule.js';
export * from './missing.js';
export * from './questionnaire.js';
export * from './technical.js';
export * from './data-quality.js';
export * from './config.js';
export * from './evaluate.js';
export * from './shared-findings.js';
