/**
 * The one module a lesson's `lesson.ts` imports: how a lesson is defined, what its checks work
 * with, the shared checks, and the helpers checks use to explain a failure. Nothing else in
 * checker/ is for lessons (a test keeps it so).
 */
export { defineLesson } from './running/lesson-definition.ts';
/** @public The types a lesson author may want to name. */
export type { ClientCheck, ClientLesson, LessonDefinition, ServerCheck, ServerLesson } from './running/lesson-definition.ts';
export type { ClientCheckContext, ServerCheckContext } from './running/check-context.ts';
export type { CloseInfo, Message } from './peers/scripted-peer.ts';
export type { ScriptedClient } from './peers/scripted-client.ts';
export { Flood, type Reception } from './peers/flood.ts';
export type { MemoryWatch } from './process/memory.ts';
export type { OutputLine, RunningProgram } from './process/program.ts';
export { CheckFailure, CheckSkipped, explained } from './core/errors.ts';
export { explain } from './core/explanations.ts';
export { quoteText } from './core/transcript.ts';
export { chatText } from './core/chat-lines.ts';
export { scaled, seconds } from './core/deadlines.ts';
export { colors } from './terminal/colors.ts';
export * from './checks/index.ts';
export { runChatDemo } from './demos/chat-demo.ts';
export { runClientDemo, withReferenceServer } from './demos/demo.ts';
export { runOperatorDemo } from './demos/operator-demo.ts';
export { runSlowClientDemo } from './demos/slow-client-demo.ts';
export { startChatBot } from './demos/chat-bot.ts';
