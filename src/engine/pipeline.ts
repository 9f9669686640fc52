// The pipeline, defined once: the six stages in order. Plan, engine and reports all read this list.
import { buildStage } from '../stages/build.js';
import { finalizeStage } from '../stages/finalize.js';
import { productionStage } from '../stages/production.js';
import { stagingStage } from '../stages/staging.js';
import { validateStage } from '../stages/validate.js';
import { verifyStage } from '../stages/verify.js';
import type { StageDefinition } from './stage.js';

export const PIPELINE: StageDefinition[] = [validateStage, buildStage, stagingStage, productionStage, verifyStage, finalizeStage] as StageDefinition[];
