/**
 * The generator classes, for `puruto new`, which registers them by class (the same
 * objects in its bundle and under tsx). yo finds the compiled files by itself.
 */
import AppGenerator from './app/index.js';
import DataGenerator from './data/index.js';
import CronGenerator from './cron/index.js';
import GatewayGenerator from './gateway/index.js';
import TelegramGenerator from './telegram/index.js';
import IpcGenerator from './ipc/index.js';
import AgentTestsGenerator from './agent-tests/index.js';
import InitGenerator from './init/index.js';

export const GENERATOR_CLASSES = {
  app: AppGenerator,
  data: DataGenerator,
  cron: CronGenerator,
  gateway: GatewayGenerator,
  telegram: TelegramGenerator,
  ipc: IpcGenerator,
  'agent-tests': AgentTestsGenerator,
  init: InitGenerator,
} as const;
