// The step context every onboardTenant step sees, named once so each step file can spell its prior outputs.
import type { StepContext } from '../../step.js';
import type { OnboardInput } from '../customer.js';

/** A step of onboardTenant: the parsed onboarding input and the outputs of the steps it reads. */
export type OnboardStepContext<Prior> = StepContext<OnboardInput, Prior>;
