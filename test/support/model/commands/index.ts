import fc from 'fast-check';
import type { Model } from '../state';
import type { World } from '../world';
import { adminCommands } from './admin';
import { labCommands } from './lab';
import { smeCommands } from './sme';
import { timeCommands } from './time';

/** Every person's actions and the passing of time, weighted so that journeys get somewhere. */
export const anyStep: fc.Arbitrary<fc.AsyncCommand<Model, World>> = fc.oneof(
  ...smeCommands,
  ...labCommands,
  ...adminCommands,
  ...timeCommands,
);
