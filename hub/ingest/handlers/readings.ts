/**
 * rpm/v1/gw/{id}/readings. Per-reading rejection: a malformed envelope refuses the whole message,
 * a malformed reading refuses only itself, so one bad reading never holds back the good ones.
 * Every reading is kept: assigned ones in the patient's series, unassigned ones under the
 * `_unassigned` patient tag for an admin to assign, refused ones as dead letters.
 */
import { hasImplausibleComponent, parseJson, splitReadingBatch } from '../../../contract/index.js';
import type { StoredReading } from '../../storage/reading-points.js';
import { deadLetter } from '../dead-letter.js';
import { fastSplitReadingBatch } from '../fast-split.js';
import { attributeReadings } from '../attribute-readings.js';
import { resolveKnownPatients, resolvePatients } from '../resolve-patients.js';
import type { Attribution } from '../../../contract/attribution.js';
import type { IncomingMessage, IngestContext } from '../ingest-context.js';

export async function handleReadings(ctx: IngestContext, msg: IncomingMessage): Promise<void> {
  const text = msg.payload.toString('utf8');
  const json = parseJson(text);
  if (!json.ok) {
    await ctx.deadLetters.add([deadLetter(ctx, msg, 'invalid_json', json.reason, text)]);
    return;
  }
  // The fast path takes plainly valid batches; anything else gets zod's verdict and wording.
  const fast = fastSplitReadingBatch(json.value);
  const batch = fast ? { ok: true as const, value: fast } : splitReadingBatch(json.value);
  if (!batch.ok) {
    await ctx.deadLetters.add([deadLetter(ctx, msg, 'invalid_envelope', batch.reason, text)]);
    return;
  }
  const { accepted, rejected } = batch.value;
  ctx.stats.readingsReceived += accepted.length + rejected.length;

  const stored: StoredReading[] = [];
  const patients = resolveKnownPatients(ctx.devices, accepted) ?? (await resolvePatients(ctx.devices, accepted));
  const attributions: (Attribution | undefined)[] = new Array<Attribution | undefined>(accepted.length);
  attributeReadings(ctx.devices, ctx.rooms, msg.gatewayId, accepted, patients, attributions);
  for (let i = 0; i < accepted.length; i++) {
    const reading = accepted[i]!;
    const patientId = patients[i];
    const attribution = attributions[i];
    const implausible = hasImplausibleComponent(reading.kind, reading.components);
    if (!patientId) ctx.stats.readingsUnassigned++;
    if (implausible) ctx.stats.readingsImplausible++;
    stored.push(attribution ? { reading, gatewayId: msg.gatewayId, patientId, implausible, attribution } : { reading, gatewayId: msg.gatewayId, patientId, implausible });
  }
  const letters = rejected.map((r) => deadLetter(ctx, msg, 'invalid_reading', r.reason, JSON.stringify(r.raw) ?? 'undefined'));
  // Both must be durable before the broker acknowledges.
  await (letters.length === 0 ? ctx.sink.store(stored) : Promise.all([ctx.sink.store(stored), ctx.deadLetters.add(letters)]));
  ctx.stats.readingsStored += stored.length;
}
