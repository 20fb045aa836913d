/** The shared checks, for lessons (through checker/lesson-api.ts). */
export * from './chat-page.ts';
export * from './chat.ts';
export * from './client-program.ts';
export * from './http-page.ts';
export * from './json-chat.ts';
export * from './json-protocol.ts';
export * from './replies.ts';
export * from './robustness.ts';
export * from './frame-cases.ts';
export * from './handshake-cases.ts';
export * from './no-library.ts';
export * from './real-clients.ts';
export * from './shutdown.ts';
