import { defineLesson, jsonProtocolChecks, robustnessChecks, runJsonChatDemo, servedByJsonChat } from '../../checker/lesson-api.ts';

export default defineLesson({
  kind: 'server',
  checks: [...jsonProtocolChecks(), ...robustnessChecks(servedByJsonChat(), ['not-joined'])],
  hints: [
    'Start with parse(data, isBinary): a binary frame is "bad-json"; JSON.parse goes inside try/catch, into a variable declared unknown; when it throws, "bad-json".',
    'A parsed value is an object only when typeof value === "object", value !== null and !Array.isArray(value): write that as a type guard, isObject(value: unknown): value is Record<string, unknown>. Anything else is "bad-json".',
    'Then switch (value.type): case "join" wants typeof value.name === "string" and 1 to 32 characters after trim(); case "say" wants typeof value.text === "string" and 1 to 1000 characters, untouched; a bad field is "bad-field"; default is "unknown-type". Return { type: "join", name } or { type: "say", text }.',
    'join(socket, name): already in users? "already-joined". Does a joined user have name.toLowerCase()? "name-taken". Otherwise send { type: "welcome", name, users: [...users.values()] } before adding the newcomer, broadcast { type: "joined", name } to those already there, then users.set(socket, name).',
    'say(socket, text): not in users? "not-joined". Otherwise broadcast { type: "message", id: ++lastId, from, text, at: Date.now() } to every joined user, the sender included. One lastId for the whole server, declared outside the connection handler.',
    'An error goes back on the same socket only, with send(socket, refuse(code, sentence)), and the connection stays open: no close(), and return after sending it.',
  ],
  demo: (port) => runJsonChatDemo('09', port),
});
