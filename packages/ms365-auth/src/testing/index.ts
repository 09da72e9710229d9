export * from './fake-entra.js';
export * from './loopback-network.js';
