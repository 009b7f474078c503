export * from './codes.js';
export * from './ion-dest-error.js';
export * from './troubleshooting.js';
