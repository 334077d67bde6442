/** What the API needs from the hub, as narrow interfaces: tests stub only what a route uses. */
import type { PatientDirectory, TokenDirectory } from '../hub/registry/registry.js';
import type { ReadingsRepository } from '../hub/storage/readings-repository.js';

export interface ApiServices {
  readonly tokens: TokenDirectory;
  readonly patients: PatientDirectory;
  readonly readings: ReadingsRepository;
}
