export { TestIssuer } from './test-issuer.js';
export type {
  TestIssuerFailure,
  TestIssuerOptions,
  TestIssuerRequests,
  TestIssuerWellKnown,
  TestSignOptions,
} from './test-issuer.js';
export type { TestIssuerAlgorithm } from './test-issuer-keys.js';
