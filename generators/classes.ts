/**
 * The generator classes, for `puruto new`, which registers them by class (the same
 * objects in its bundle and under tsx). yo finds the compiled files by itself. A kind's
 * class is the one its `generators/<key>/index.ts` exports (kindGenerator keeps one per
 * declaration); the add-ons and init are generators of their own.
 */
import { KIND_REGISTRY, type RegisteredKind } from './kinds.js';
import { kindGenerator, type KindGeneratorClass } from './shared/kind-generator.js';
import IpcGenerator from './ipc/index.js';
import AgentTestsGenerator from './agent-tests/index.js';
import InitGenerator from './init/index.js';

const KIND_CLASSES = Object.fromEntries(KIND_REGISTRY.map((k) => [k.key, kindGenerator(k)])) as Record<
  RegisteredKind['key'],
  KindGeneratorClass
>;

export const GENERATOR_CLASSES = {
  ...KIND_CLASSES,
  ipc: IpcGenerator,
  'agent-tests': AgentTestsGenerator,
  init: InitGenerator,
} as const;
