/**
 * A worker thread of the back-test's replay pool (replay-pool.ts): replays one patient's readings
 * with each of the configurations it is sent, through the same replayConfigurations the main thread runs,
 * and posts the alerts back. Pure apart from the messages; a replay past the deadline stops with
 * `timeout` (the main thread turns that into the back-test's timeout error).
 */
import { parentPort } from 'node:worker_threads';
import { replayConfigurations } from './replay.js';
import type { ReplayJob, ReplayReply } from './replay-pool.js';

const port = parentPort;
if (!port) throw new Error('replay-worker.ts runs as a worker thread only');

port.on('message', (msg: { id: number; job: ReplayJob }) => {
  let reply: ReplayReply;
  try {
    const { patient, contexts, readings, from, to, tickMs, deadline } = msg.job;
    const checkpoint = () => {
      if (Date.now() > deadline) throw new DeadlinePassed();
    };
    reply = { id: msg.id, ok: true, alerts: replayConfigurations(patient, contexts, readings, { from, to, tickMs, checkpoint }) };
  } catch (err) {
    reply = { id: msg.id, ok: false, timeout: err instanceof DeadlinePassed, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});

class DeadlinePassed extends Error {}
