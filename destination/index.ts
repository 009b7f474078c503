/**
 * The customer's destination, in one place: its type, its parsing and validation
 * (parse-destination.ts), the session-duration limits (session-duration.ts), and
 * AssumeRole with the external ID (assume-role.ts), renewed before each session expires
 * (delivery-credentials.ts). `verify`, `deliver` and `cleanup` all go through here.
 */
export {
  DESTINATION_OPTION_NAMES,
  findDestinationProblems,
  parseDestination,
  type Destination,
  type DestinationFieldNames,
  type DestinationInput,
  type ParsedDestination,
} from './parse-destination.js';
export {
  DEFAULT_SESSION_DURATION_SECONDS,
  MAX_SESSION_DURATION_SECONDS,
  MIN_SESSION_DURATION_SECONDS,
  SESSION_DURATION_RULE,
} from './session-duration.js';
export { assumeDeliveryRole, mapAssumeRoleError, type AssumedSession, type AssumeRoleRequest } from './assume-role.js';
export {
  createDeliveryCredentials,
  deliverySessionName,
  openDestinationClient,
  refreshMarginMs,
  roleSessionName,
  type DeliveryCredentialsOptions,
  type DestinationClientOptions,
} from './delivery-credentials.js';
