/**
 * Worker-thread entry of validateWorkspace: validates one slice of the workspace and
 * posts the reports back. Validation is synchronous I/O, so a second core nearly
 * halves the wall time of a large workspace.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { validateShard } from './shard.js';

interface ShardJob {
  dirs: string[];
  strict: boolean;
}

const job = workerData as ShardJob;
const reports = await validateShard(job.dirs, job.strict);
parentPort?.postMessage(reports);
