import { scaled } from '../core/deadlines.ts';
import { CheckFailure, explained } from '../core/errors.ts';
import { quoteText } from '../core/transcript.ts';
import { isJsonObject, like, parseJson, type JsonExpectation } from '../peers/json-match.ts';
import type { ScriptedClient } from '../peers/scripted-client.ts';
import type { JsonMessageExpectation, Message } from '../peers/scripted-peer.ts';
import type { ServerCheckContext, ServerInstance } from '../running/check-context.ts';
import type { Served } from './robustness.ts';

/**
 * The JSON chat protocol of lesson 09, spoken again (with more) by lessons 10, 11, 13 and 17:
 * the messages in one place, and the steps a check takes with them (join and await the
 * welcome, say and await every copy), for every lesson to share.
 *
 * Checks that share a server give their users names no other check uses (the check's cast).
 * A check's clients are cut off as it ends, and the server may still be announcing their
 * leaving while the next check's users join: news about another cast's users is set aside.
 */

/** More fields of a message (sent or expected), such as lesson 10's `room`. */
export type Fields = { readonly [key: string]: JsonExpectation };

/** Date.now() when the server handled the message: a number of milliseconds, close to the checker's own clock. */
const handledJustNow = like.that(
  'Date.now() when the server handled it',
  (value) => typeof value === 'number' && Math.abs(value - Date.now()) <= scaled(5_000),
);

/** Every message of the protocol: what a client sends (text), and what the server answers (expectations). */
export const jsonChat = {
  join: (name: string, fields: Fields = {}) => JSON.stringify({ type: 'join', name, ...fields }),
  say: (text: string) => JSON.stringify({ type: 'say', text }),
  welcome: (name: string, fields: Fields = {}): JsonMessageExpectation => ({ type: 'welcome', name, ...fields }),
  joined: (name: string, fields: Fields = {}): JsonMessageExpectation => ({ type: 'joined', name, ...fields }),
  message: (from: string, text: string, fields: Fields = {}): JsonMessageExpectation => ({
    type: 'message',
    id: like.integer,
    from,
    text,
    at: handledJustNow,
    ...fields,
  }),
  left: (name: string, fields: Fields = {}): JsonMessageExpectation => ({ type: 'left', name, ...fields }),
  error: (code: string): JsonMessageExpectation => ({ type: 'error', code, message: like.nonEmptyString }),
};

export interface JoinOptions {
  /** The name as the client types it, when it is not the name itself (it must trim to the name). */
  typed?: string;
  /** More fields of the join message (lesson 10: `{ room }`). */
  fields?: Fields;
  /** More fields the welcome must have (`{ room: 'general' }`). */
  welcome?: Fields;
  /**
   * The users the welcome must list among this check's cast, in this order. Users of earlier
   * checks that a shared server has not seen leave yet may be listed too, and are passed over.
   */
  users?: string[];
  /** More fields each earlier user's notice of the join must have (lesson 10: `{ room }`). */
  joined?: Fields;
  /** Names the check's own likely mistake when something else than the welcome arrives (asked before the usual ones). */
  explain?: (value: unknown) => string | undefined;
  /** The instance to connect to, when the check runs several (lesson 17); the check's server by default. */
  at?: ServerInstance;
}

/** The users of one check, who connect and join through it. */
export interface JsonChatCast {
  /** Opens a client for `name` that has not joined (it sends nothing yet), to the check's server or to instance `at`. */
  connect(name: string, at?: ServerInstance): ScriptedClient;
  /** Opens a client for `name` with the join round trip queued on it: await it before relying on the join. */
  join(name: string, options?: JoinOptions): ScriptedClient;
  /**
   * Joins users one after another, each once the one before is in, every earlier user
   * receiving the later ones' join notices. Resolves when all have arrived.
   */
  joinInTurn(names: string[], options?: JoinOptions): Promise<ScriptedClient[]>;
}

/** Where a lesson's contract lets its server differ from lesson 09's. */
export interface JsonChatLeeway {
  /**
   * A newcomer may get one "joined" of a user its welcome listed, right after the welcome,
   * before any other news of that user. Lesson 17's instances read who is there from Redis and
   * hear of joins through Redis publish/subscribe, and the two are not ordered with each other.
   */
  joinedMayTrailWelcome?: boolean;
}

/** The name of every user some check's cast has had. */
const everyCastsNames = new Set<string>();

/** A cast of users for one check, named `names` (names no other check uses). */
export function jsonChatCast(ctx: ServerCheckContext, names: string[], leeway: JsonChatLeeway = {}): JsonChatCast {
  for (const name of names) everyCastsNames.add(name);
  const mine = new Set(names);
  const connect = (name: string, at?: ServerInstance) => {
    if (!mine.has(name)) throw new Error(`jsonChatCast: ${name} is not in this check's cast (${names.join(', ')})`);
    const client = setAsideOthersNews(at ? at.connect(name) : ctx.connect(name), mine);
    return leeway.joinedMayTrailWelcome ? setAsideJoinedOfListed(client) : client;
  };
  const join = (name: string, options: JoinOptions = {}) => {
    if (!options.users) return joinChat(connect(name, options.at), name, options);
    const wanted = options.users;
    return joinChat(connect(name, options.at), name, {
      ...options,
      welcome: { ...options.welcome, users: amongCast(wanted, mine) },
      explain: (value) => options.explain?.(value) ?? explainWelcome(name, name, value, wanted, mine),
    });
  };
  return {
    connect,
    join,
    joinInTurn: async (newcomers, options = {}) => {
      const users: ScriptedClient[] = [];
      for (const name of newcomers) {
        const newcomer = join(name, options);
        for (const user of users) user.expectJson(jsonChat.joined(name, options.joined), { explain: explainNotice(user.name) });
        await explained(Promise.all([newcomer, ...users]), `When ${name} joins, ${name} receives a welcome and every other joined user a "joined" message.`);
        users.push(newcomer);
      }
      return users;
    },
  };
}

/** Matches a list of names whose names of the cast `mine` are `users`, in that order. */
function amongCast(users: string[], mine: ReadonlySet<string>) {
  return like.that(`a list of names holding, of this check's users, ${JSON.stringify(users)} in this order`, (list) => {
    return Array.isArray(list) && JSON.stringify(list.filter((name) => mine.has(name))) === JSON.stringify(users);
  });
}

/** Queues the join round trip on `user`: it sends a join for `name` (or `options.typed`) and expects its welcome. */
export function joinChat(user: ScriptedClient, name: string, options: JoinOptions = {}): ScriptedClient {
  return user.send(jsonChat.join(options.typed ?? name, options.fields)).expectJson(jsonChat.welcome(name, options.welcome), {
    explain: (value) => options.explain?.(value) ?? explainWelcome(user.name, name, value),
  });
}

/**
 * `sender` says `text`, and every one of `hearers` (the sender among them, for its copy)
 * must receive it as a message, under one id. Resolves with that id.
 */
export async function sayAndHear(
  sender: ScriptedClient,
  text: string,
  hearers: ScriptedClient[],
  options: { from?: string; fields?: Fields } = {},
): Promise<number> {
  const from = options.from ?? sender.name;
  sender.send(jsonChat.say(text));
  const silence = (rule: string) => (failure: CheckFailure) => (failure.details.received === 'nothing' ? rule : undefined);
  const copies = await Promise.all(
    hearers.map((hearer) =>
      explained(
        hearer.nextJson(jsonChat.message(from, text, options.fields), { explain: (value) => explainMessage(text, value, hearer === sender, options.fields) }),
        silence(
          hearer === sender
            ? `The sender receives its own message too: its copy, with the id, is its acknowledgement. Send the message to every joined user, ${from} included.`
            : `A message from ${from} goes to every joined user.`,
        ),
      ),
    ),
  );
  const ids = new Set(copies.map((copy) => copy.id));
  if (ids.size > 1) throw differentIds(from, text, hearers, copies);
  return copies[0]!.id as number;
}

/**
 * How the robustness checks prove a JSON chat server still serves a client: a client that has
 * not joined says something and is refused with `not-joined`. Nobody else is involved, so the
 * others' notices cannot get in the way.
 */
export function servedByJsonChat(): Served {
  const refused = (client: ScriptedClient) => client.send(jsonChat.say('Is anyone there?')).expectJson(jsonChat.error('not-joined'));
  return {
    open: (ctx, name) => refused(setAsideOthersNews(ctx.connect(name), new Set())),
    again: (_ctx, client) => refused(client),
  };
}

/** A message of the protocol and the user it is news of (its `name`, or its `from`), if it is one. */
function newsIn(message: Message): { value: Record<string, unknown>; about: string | undefined } | undefined {
  const value = message.isBinary ? undefined : parseJson(message.text);
  if (!isJsonObject(value)) return undefined;
  return { value, about: typeof value.name === 'string' ? value.name : typeof value.from === 'string' ? value.from : undefined };
}

/** Sets aside, on `client`, news about users of other casts than `mine` (late notices from an earlier check). */
function setAsideOthersNews(client: ScriptedClient, mine: ReadonlySet<string>): ScriptedClient {
  return client.ignore((message: Message) => {
    const about = newsIn(message)?.about;
    return about !== undefined && everyCastsNames.has(about) && !mine.has(about) ? 'news about a user of an earlier check' : undefined;
  });
}

/**
 * Sets aside, on `client`, one "joined" of each user its welcome listed, when it comes before
 * any other news of that user (JsonChatLeeway.joinedMayTrailWelcome).
 */
function setAsideJoinedOfListed(client: ScriptedClient): ScriptedClient {
  const listed = new Set<string>();
  return client.ignore((message: Message) => {
    const news = newsIn(message);
    if (!news) return undefined;
    const { value, about } = news;
    if (value.type === 'welcome') {
      listed.clear();
      if (Array.isArray(value.users)) for (const user of value.users) if (typeof user === 'string') listed.add(user);
      return undefined;
    }
    if (about === undefined || !listed.delete(about) || value.type !== 'joined') return undefined;
    return `a "joined" of ${about}, whom ${client.name}'s welcome listed: it reached this instance through Redis after the welcome`;
  });
}

// ---- explanations ------------------------------------------------------------------------

/**
 * Names the likely mistake when `receiver`, joining as `name`, received `value` instead of its
 * welcome, which was to list `users` among the names of its check's `cast`.
 */
function explainWelcome(receiver: string, name: string, value: unknown, users?: string[], cast?: ReadonlySet<string>): string | undefined {
  if (!isJsonObject(value)) return undefined;
  if (value.type === 'error')
    return `The server refused ${receiver}'s join with ${JSON.stringify(value.code)} (${JSON.stringify(value.message)}), but the join was a good one.`;
  if (value.type === 'joined' && value.name === name) {
    return `${receiver} was told that ${name} joined. The "joined" message goes to the other joined users; the newcomer gets its welcome.`;
  }
  if (value.type === 'welcome' && Array.isArray(value.users) && value.users.includes(name)) {
    return 'The welcome\'s "users" are the OTHER joined users: build the list before adding the newcomer, or leave the newcomer out.';
  }
  const ours = Array.isArray(value.users) && cast ? value.users.filter((user) => cast.has(user)) : undefined;
  if (value.type === 'welcome' && users && ours && JSON.stringify(ours) !== JSON.stringify(users)) {
    return ours.length === users.length && users.every((user) => ours.includes(user))
      ? 'The welcome lists the other joined users in the order they joined: keep the users in a Map (it keeps insertion order) and list its values.'
      : 'The welcome lists every other joined user, and only those: one who has joined and not left is missing, or one who has left is still there.';
  }
  if (value.type === 'welcome' && typeof value.name === 'string' && value.name.trim() === name && value.name !== name) {
    return 'Trim the name once, when the join arrives, and use the trimmed name everywhere after.';
  }
  return undefined;
}

/** Names the likely mistake when `receiver` expected a notice and received `value`. */
export function explainNotice(receiver: string): (value: unknown) => string | undefined {
  return (value) => {
    if (!isJsonObject(value)) return undefined;
    if (value.type === 'welcome') return `The welcome went to ${receiver} too. Send it only to the newcomer, and the "joined" message to the others.`;
    if (value.type === 'joined' && value.name === receiver) {
      return `${receiver} was told that ${receiver} joined. The "joined" message goes to the users already there, not to the newcomer: send it before adding the newcomer to your users, or skip the newcomer.`;
    }
    return undefined;
  };
}

/**
 * Names the likely mistake when a chat message with `text` (and `fields`) was expected and
 * `value` arrived (at its sender, when `toSender`).
 */
export function explainMessage(text: string, value: unknown, toSender = false, fields: Fields = {}): string | undefined {
  if (isJsonObject(value) && value.type === 'error') {
    return toSender
      ? `The server refused the message with ${JSON.stringify(value.code)} (${JSON.stringify(value.message)}), but it was a good one.`
      : 'An error goes only to the client whose message was refused, never to the others.';
  }
  if (!isJsonObject(value) || value.type !== 'message') return undefined;
  if (typeof fields.room === 'string' && typeof value.room === 'string' && value.room !== fields.room) {
    return `A message said in "${value.room}" reached a user in "${fields.room}". Messages go only to the members of the room they were said in.`;
  }
  if (typeof value.text === 'string' && value.text !== text && value.text.trim() === text.trim()) {
    return 'The text is passed on exactly as it was sent, spaces included; only the name is trimmed.';
  }
  if (typeof value.at === 'string') return '"at" is a number: Date.now(), the milliseconds since 1970. A Date or an ISO string is serialised as text.';
  if (typeof value.at === 'number' && Math.abs(value.at * 1000 - Date.now()) < 60_000) return '"at" is in milliseconds (Date.now()), not in seconds.';
  if (typeof value.id === 'string') return 'The id is a number, not a string.';
  return undefined;
}

function differentIds(from: string, text: string, hearers: ScriptedClient[], copies: Record<string, unknown>[]): CheckFailure {
  const seen = hearers.map((hearer, i) => `${hearer.name} got id ${JSON.stringify(copies[i]!.id)}`).join(', ');
  return new CheckFailure(`The copies of ${from}'s message ${quoteText(text)} did not have the same id (${seen}).`, {
    expected: 'one id for the message, the same in every copy',
    received: seen,
    explanation:
      'Give a message its id once, when the server handles it, from one counter for the whole server, and send that same message ' +
      'to everyone. A counter per connection numbers the copies differently.',
  });
}
