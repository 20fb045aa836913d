/**
 * The one module a lesson's `lesson.ts` imports: how a lesson is defined, what its checks work
 * with, the shared checks, and the helpers checks use to explain a failure. Nothing else in
 * checker/ is for lessons (a test keeps it so).
 */
export { defineLesson } from './running/lesson-definition.ts';
/** @public The types a lesson author may want to name. */
export type { ClientCheck, ClientLesson, LessonDefinition, ServerCheck, ServerLesson, SuiteCheck, TestsLesson } from './running/lesson-definition.ts';
export type { ClientCheckContext, ServerCheckContext, ServerInstance } from './running/check-context.ts';
export type { CloseInfo, Message } from './peers/scripted-peer.ts';
export type { ScriptedClient } from './peers/scripted-client.ts';
export { Flood, type Reception } from './peers/flood.ts';
export type { MemoryWatch } from './process/memory.ts';
export type { OutputLine, RunningProgram } from './process/program.ts';
export { CheckerWasLate, CheckFailure, CheckSkipped, explained } from './core/errors.ts';
export { explain } from './core/explanations.ts';
export { quoteText } from './core/transcript.ts';
export { jsonType, like } from './peers/json-match.ts';
export { chatText } from './core/chat-lines.ts';
export { BUILT_IN_KEYS, describeTextChange } from './core/tricky-text.ts';
export { scaled, seconds } from './core/deadlines.ts';
export { Pace } from './core/pace.ts';
export { frame } from './peers/frames.ts';
export { RFC_EXAMPLE } from './peers/upgrade-request.ts';
export { colors } from './terminal/colors.ts';
export * from './checks/index.ts';
export { runChatDemo } from './demos/chat-demo.ts';
export { runJsonChatDemo } from './demos/json-chat-demo.ts';
export { runScaleOutDemo } from './demos/scale-out-demo.ts';
export { runClientDemo, withReferenceServer } from './demos/demo.ts';
export { runHeartbeatDemo } from './demos/heartbeat-demo.ts';
export { runSecureChatDemo } from './demos/secure-chat-demo.ts';
export { runOperatorDemo } from './demos/operator-demo.ts';
export { runSuiteDemo } from './demos/suite-demo.ts';
export { runWireDemo } from './demos/wire-demo.ts';
export { runSlowClientDemo } from './demos/slow-client-demo.ts';
export { startChatBot } from './demos/chat-bot.ts';
