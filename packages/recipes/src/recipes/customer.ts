// The inputs of onboarding: their types (the schemas are in `customer-schema.ts`, loaded on first validation)
// and the space-name templates.
import type { Customer } from './customer-schema.js';

export type {
  Customer,
  CustomerInput,
  OnboardInput,
  OnboardInputRaw,
  PartnerConfig,
  PartnerConfigInput,
} from './customer-schema.js';

/** Placeholders a space-name template may use: `{name}`, `{alias}` and `{customerId}`. */
export const TEMPLATE_PLACEHOLDER = /\{(name|alias|customerId)\}/g;

/** Fills a space-name template for one customer. */
export function spaceNameFor(template: string, customer: Pick<Customer, 'name' | 'alias' | 'customerId'>): string {
  return template.replace(TEMPLATE_PLACEHOLDER, (_match, key: 'name' | 'alias' | 'customerId') => customer[key]);
}
