export * from './contract.js';
export * from './contracts/index.js';
export * from './define-job.js';
export * from './defaults.js';
export * from './job-id.js';
export * from './queues.js';
export * from './schedules.js';
export * from './worker.js';
