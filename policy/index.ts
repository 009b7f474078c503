export * from './arns.js';
export * from './bucket-policy.js';
export * from './partitions.js';
export * from './permission-policy.js';
export * from './trust-policy.js';
export * from './types.js';
export * from './validate.js';
export * from './validate-template-inputs.js';
