import { CheckFailure, explained } from '../core/errors.ts';
import { isJsonObject, jsonType } from '../peers/json-match.ts';
import type { ScriptedClient } from '../peers/scripted-client.ts';
import type { ServerCheckContext } from '../running/check-context.ts';
import type { ServerCheck } from '../running/lesson-definition.ts';
import { LOAD_MESSAGES, loadCheckName, runLoad, type LoadProtocol } from './chat-load.ts';
import { explainMessage, explainNotice, jsonChat, jsonChatCast, type JsonChatLeeway, joinChat, sayAndHear } from './json-chat.ts';

/**
 * The checks of the lesson 09 protocol (json-chat.ts), for any server that speaks it. Lesson 09
 * runs them all; later lessons that speak the protocol pick the ones they need by id.
 */

/** A broken message of the contract, the error code it must get, and why, in the learner's terms. */
export interface BadInput {
  /** The frame's text; a Uint8Array is sent as a binary frame. */
  frame: string | Uint8Array;
  /** How the failure names it, when the frame itself is too long to show. */
  shown?: string;
  code: string;
  why: string;
}

const MIB_STRING = JSON.stringify('a'.repeat(1024 * 1024 - 2));
const name = (length: number) => 'N'.repeat(length);

/** Anything that is not one JSON object in a text frame. */
const NOT_AN_OBJECT: BadInput[] = [
  { frame: '{', code: 'bad-json', why: 'JSON.parse throws on it: catch that and answer "bad-json".' },
  { frame: '{"type":"say","text":"cut short"', code: 'bad-json', why: 'it is JSON cut short: JSON.parse throws.' },
  { frame: '', code: 'bad-json', why: 'an empty frame is not JSON.' },
  { frame: '[]', code: 'bad-json', why: 'an array is JSON, but not an object: check with Array.isArray.' },
  { frame: '42', code: 'bad-json', why: 'a number is JSON, but not an object.' },
  { frame: 'null', code: 'bad-json', why: 'null is JSON, but not an object (and typeof null is "object").' },
  { frame: '"say"', code: 'bad-json', why: 'a string is JSON, but not an object.' },
  { frame: MIB_STRING, shown: 'a JSON string of 1 MiB', code: 'bad-json', why: 'a string is JSON, but not an object, however long.' },
  {
    frame: new TextEncoder().encode(jsonChat.say('sent as binary')),
    shown: 'a binary frame holding {"type":"say","text":"sent as binary"}',
    code: 'bad-json',
    why: 'the protocol is text frames: a binary frame is "bad-json" whatever it holds. Look at isBinary.',
  },
];

/** Objects whose type is missing, not a string, or unknown. */
const UNKNOWN_TYPES: BadInput[] = [
  { frame: '{}', code: 'unknown-type', why: 'it has no "type".' },
  { frame: '{"text":"no type"}', code: 'unknown-type', why: 'it has no "type".' },
  { frame: '{"type":7}', code: 'unknown-type', why: '"type" must be a string.' },
  { frame: '{"type":null}', code: 'unknown-type', why: '"type" must be a string.' },
  { frame: '{"type":["say"]}', code: 'unknown-type', why: '"type" must be a string.' },
  { frame: '{"type":"shout"}', code: 'unknown-type', why: 'there is no such type.' },
  { frame: '{"type":"SAY","text":"hi"}', code: 'unknown-type', why: 'types are compared exactly: "SAY" is not "say".' },
  { frame: '{"type":"toString"}', code: 'unknown-type', why: 'there is no such type (looking types up in a plain object finds Object.prototype.toString).' },
  { frame: '{"type":"__proto__"}', code: 'unknown-type', why: 'there is no such type (a plain object has a "__proto__" too).' },
];

/** Says without a good text. */
const BAD_TEXTS: BadInput[] = [
  { frame: '{"type":"say"}', code: 'bad-field', why: 'it has no "text".' },
  { frame: '{"type":"say","text":5}', code: 'bad-field', why: '"text" must be a string: check typeof before its length.' },
  { frame: '{"type":"say","text":null}', code: 'bad-field', why: '"text" must be a string.' },
  { frame: '{"type":"say","text":["hi"]}', code: 'bad-field', why: '"text" must be a string (an array has a length too).' },
  { frame: '{"type":"say","text":""}', code: 'bad-field', why: '"text" must have 1 to 1000 characters.' },
  { frame: jsonChat.say('x'.repeat(1001)), shown: 'a say whose text has 1001 characters', code: 'bad-field', why: '"text" must have 1 to 1000 characters.' },
];

/** Joins without a good name. */
const BAD_NAMES: BadInput[] = [
  { frame: '{"type":"join"}', code: 'bad-field', why: 'it has no "name".' },
  { frame: '{"type":"join","name":42}', code: 'bad-field', why: '"name" must be a string: check typeof before trimming it.' },
  { frame: '{"type":"join","name":null}', code: 'bad-field', why: '"name" must be a string.' },
  { frame: '{"type":"join","name":["Al"]}', code: 'bad-field', why: '"name" must be a string.' },
  { frame: '{"type":"join","name":""}', code: 'bad-field', why: 'the name must have 1 to 32 characters.' },
  { frame: '{"type":"join","name":"   "}', code: 'bad-field', why: 'the name is trimmed first, and nothing is left of a name of spaces.' },
  { frame: '{"type":"join","name":"\\t\\n "}', code: 'bad-field', why: 'the name is trimmed first, and nothing is left of a name of whitespace.' },
  { frame: jsonChat.join(name(33)), shown: 'a join with a name of 33 characters', code: 'bad-field', why: 'the name must have 1 to 32 characters.' },
];

/**
 * Sends each bad input from `client` and expects its error, naming the mistake when another
 * answer comes. Only after all of them does a check prove the connection still serves.
 */
export function refuseEach(client: ScriptedClient, inputs: BadInput[]): Promise<void> {
  for (const input of inputs) {
    if (typeof input.frame === 'string') client.send(input.frame);
    else client.sendBinary(input.frame);
    client.expectJson(jsonChat.error(input.code), { explain: (value) => explainRefusal(input, value) });
  }
  return explained(client, keptOpen);
}

/** The checks, for a server held to the contract with `leeway` where a lesson allows it (lesson 17). */
export function jsonProtocolChecks(leeway: JsonChatLeeway = {}): ServerCheck[] {
  const castFor = (ctx: ServerCheckContext, names: string[]) => jsonChatCast(ctx, names, leeway);
  return [
    {
      id: 'ids',
      fresh: true,
      name: 'numbers the chat lines of a new server 1, 2, 3… in one sequence, whoever sends them',
      run: async (ctx) => {
        const [oscar, pia] = await castFor(ctx, ['Oscar', 'Pia']).joinInTurn(['Oscar', 'Pia']);
        const lines: [ScriptedClient, string][] = [
          [oscar!, 'one'],
          [pia!, 'two'],
          [oscar!, 'three'],
        ];
        for (const [index, [sender, text]] of lines.entries()) {
          const id = await sayAndHear(sender, text, [oscar!, pia!]);
          if (id !== index + 1) throw idFailure(index + 1, id, sender.name, text);
        }
      },
    },
    {
      id: 'welcome',
      name: 'welcomes each user with the names of those already there, in the order they joined, and tells them',
      run: async (ctx) => {
        const cast = castFor(ctx, ['Alice', 'Bob', 'Mary Ann']);
        const alice = cast.join('Alice', { users: [] });
        await explained(alice, 'A join with a good name is answered with {"type":"welcome","name":…,"users":[…]}.');
        const bob = cast.join('Bob', { users: ['Alice'] });
        alice.expectJson(jsonChat.joined('Bob'), { explain: explainNotice('Alice') });
        await Promise.all([bob, alice]);
        const mary = cast.join('Mary Ann', { users: ['Alice', 'Bob'] });
        for (const user of [alice, bob]) user.expectJson(jsonChat.joined('Mary Ann'), { explain: explainNotice(user.name) });
        await explained(Promise.all([mary, alice, bob]), usersRule);
      },
    },
    {
      id: 'message',
      name: 'sends a chat line to every joined user, the sender included, with an id, the sender and the time',
      run: async (ctx) => {
        const [judy, ken, liam] = await castFor(ctx, ['Judy', 'Ken', 'Liam']).joinInTurn(['Judy', 'Ken', 'Liam']);
        await sayAndHear(judy!, 'Hello, everyone!', [ken!, liam!, judy!]);
      },
    },
    {
      id: 'text-exact',
      needs: ['message'],
      name: 'passes the text on exactly as it was sent (spaces, markup, Unicode, 1 to 1000 characters)',
      run: async (ctx) => {
        const [quinn, rosa] = await castFor(ctx, ['Quinn', 'Rosa']).joinInTurn(['Quinn', 'Rosa']);
        const texts = [
          '  spaces kept  ',
          '<b>bold</b> & <script>alert(1)</script>',
          'Grüße, 世界 👋🏽',
          'two\nlines',
          '{"type":"join","name":"Mallory"}',
          '?',
          'x'.repeat(1000),
        ];
        for (const text of texts) await sayAndHear(quinn!, text, [rosa!, quinn!]);
      },
    },
    {
      id: 'trims-name',
      name: 'trims the whitespace around a name, keeps the spaces inside, and measures it trimmed',
      run: async (ctx) => {
        const long = `${'Long'.repeat(8)}`;
        const cast = castFor(ctx, ['Heidi', 'Ivan', 'Ana Maria', long]);
        const [heidi] = await cast.joinInTurn(['Heidi']);
        const newcomers: [string, string][] = [
          ['Ivan', '  Ivan \t'],
          ['Ana Maria', ' Ana Maria '],
          [long, `   ${long}   `],
        ];
        const users = [heidi!];
        for (const [name, typed] of newcomers) {
          const user = cast.join(name, { typed });
          for (const earlier of users) earlier.expectJson(jsonChat.joined(name), { explain: explainNotice(earlier.name) });
          await explained(
            Promise.all([user, ...users]),
            `${JSON.stringify(typed)} is trimmed to ${JSON.stringify(name)}, a good name (1 to 32 characters once trimmed).`,
          );
          users.push(user);
        }
        await sayAndHear(users[2]!, 'Hola!', [heidi!, users[2]!], { from: 'Ana Maria' });
      },
    },
    {
      id: 'name-taken',
      name: 'refuses a name in use, in any mix of capitals, with "name-taken", and changes nothing',
      run: async (ctx) => {
        const cast = castFor(ctx, ['Tara', 'Uri']);
        const [tara] = await cast.joinInTurn(['Tara']);
        const uri = cast.connect('Uri');
        for (const typed of ['Tara', 'tara', ' TARA ']) {
          uri.send(jsonChat.join(typed)).expectJson(jsonChat.error('name-taken'), {
            explain: (value) => (isJsonObject(value) && value.type === 'welcome' ? takenExplanation(typed) : undefined),
          });
        }
        ctx.note('Uri was refused, so Uri has not joined: a say is "not-joined", and Tara has heard nothing of it.');
        uri.send(jsonChat.say('Am I in?')).expectJson(jsonChat.error('not-joined'));
        await explained(uri, keptOpen);
        joinChat(uri, 'Uri');
        await explained(
          tara!.expectJson(jsonChat.joined('Uri'), { explain: (value) => (jsonType(value) === 'joined' ? takenExplanation('tara') : undefined) }),
          'Tara must hear of Uri joining as Uri, and of nothing before it.',
        );
        await sayAndHear(tara!, 'Welcome, Uri.', [uri, tara!]);
      },
    },
    {
      id: 'name-freed',
      name: 'frees a name when its user leaves, cleanly or not',
      run: async (ctx) => {
        const cast = castFor(ctx, ['Vera', 'Walt', 'VERA', 'vera']);
        const [vera, walt] = await cast.joinInTurn(['Vera', 'Walt']);
        await vera!.close(1000);
        await walt!.expectJson(jsonChat.left('Vera'));
        ctx.note('Walt has heard that Vera left, so her name is free: "VERA" may join.');
        const freed = { explain: (value: unknown) => (jsonType(value) === 'error' ? FREED : undefined) };
        const upper = cast.join('VERA', { ...freed, users: ['Walt'] });
        await explained(Promise.all([upper, walt!.expectJson(jsonChat.joined('VERA'))]), FREED);
        await upper.drop();
        await walt!.expectJson(jsonChat.left('VERA'));
        ctx.note('VERA dropped the connection without a close frame: "vera" may join now.');
        await explained(Promise.all([cast.join('vera', freed), walt!.expectJson(jsonChat.joined('vera'))]), FREED);
      },
    },
    {
      id: 'odd-names',
      name: 'takes any name: toString, constructor and __proto__ too',
      run: async (ctx) => {
        const odd = ['toString', 'constructor', '__proto__', 'hasOwnProperty'];
        const cast = castFor(ctx, [...odd, 'TOSTRING', 'Constructor']);
        const objectKeys = { explain: (value: unknown) => (jsonType(value) === 'error' ? OBJECT_KEYS : undefined) };
        const [stringy, builder, proto, has] = await explained(cast.joinInTurn(odd, objectKeys), OBJECT_KEYS);
        await explained(sayAndHear(proto!, 'hi from __proto__', [stringy!, builder!, proto!, has!]), OBJECT_KEYS);
        await builder!.close(1000);
        await Promise.all([stringy!, proto!, has!].map((user) => user.expectJson(jsonChat.left('constructor'))));
        ctx.note('constructor has left, so "Constructor" is free; toString is still here, so "TOSTRING" is taken.');
        await explained(cast.connect('TOSTRING').send(jsonChat.join('TOSTRING')).expectJson(jsonChat.error('name-taken')), OBJECT_KEYS);
        await explained(cast.join('Constructor', objectKeys), OBJECT_KEYS);
      },
    },
    {
      id: 'already-joined',
      name: 'answers a second join with "already-joined", and keeps the first name',
      run: async (ctx) => {
        const cast = castFor(ctx, ['Xena', 'Yuri', 'Zed']);
        const [xena, yuri] = await cast.joinInTurn(['Xena', 'Yuri']);
        for (const typed of ['Zed', 'Xena']) {
          xena!.send(jsonChat.join(typed)).expectJson(jsonChat.error('already-joined'), {
            explain: (value) =>
              jsonType(value) === 'welcome' ? 'A connection joins once: a join from one that has joined is "already-joined", and its name stays.' : undefined,
          });
        }
        await explained(xena!, keptOpen);
        ctx.note('Xena is still Xena, Yuri has heard nothing of her second joins, and "Zed" is free.');
        await sayAndHear(xena!, 'Still Xena here.', [yuri!, xena!]);
        await Promise.all([cast.join('Zed'), xena!.expectJson(jsonChat.joined('Zed')), yuri!.expectJson(jsonChat.joined('Zed'))]);
      },
    },
    {
      id: 'not-joined',
      name: 'answers a say before join with "not-joined", and passes nothing on',
      run: async (ctx) => {
        const cast = castFor(ctx, ['Abel', 'Bea']);
        const [abel] = await cast.joinInTurn(['Abel']);
        const bea = cast.connect('Bea');
        await explained(
          bea.send(jsonChat.say('Hello?')).expectJson(jsonChat.error('not-joined')),
          'A say from a connection that has not joined is answered with {"type":"error","code":"not-joined",…}, to that connection only.',
        );
        ctx.note("Bea joins now: Abel's next message must be the notice of it, not Bea's refused line.");
        await Promise.all([cast.join('Bea'), abel!.expectJson(jsonChat.joined('Bea'), { explain: (value) => explainLeak('Abel', value) })]);
      },
    },
    errorCheck(leeway, {
      id: 'bad-json',
      name: 'answers "bad-json" to anything but a JSON object in a text frame, and keeps serving',
      cast: ['Cleo', 'Dan'],
      inputs: NOT_AN_OBJECT,
      what: 'what is not a JSON object',
    }),
    errorCheck(leeway, {
      id: 'unknown-type',
      name: 'answers "unknown-type" to a missing, non-string or unknown type, and keeps serving',
      cast: ['Eva', 'Finn'],
      inputs: UNKNOWN_TYPES,
      what: 'messages of no known type',
    }),
    errorCheck(leeway, {
      id: 'bad-text',
      name: 'answers "bad-field" to a say without a good text (missing, not a string, empty, over 1000 characters)',
      cast: ['Gwen', 'Hank'],
      inputs: BAD_TEXTS,
      what: 'says without a good text',
    }),
    {
      id: 'bad-name',
      name: 'answers "bad-field" to a join without a good name (missing, not a string, blank, over 32 characters)',
      run: async (ctx) => {
        const cast = castFor(ctx, ['Iris', 'Jack']);
        const [iris] = await cast.joinInTurn(['Iris']);
        const jack = cast.connect('Jack');
        await ctx.keepsServing(refuseEach(jack, BAD_NAMES), 'Jack sent joins without a good name', NEVER_TRUST);
        ctx.note("Jack joins with a good name now: Iris's next message must be the notice of it.");
        await Promise.all([joinChat(jack, 'Jack'), iris!.expectJson(jsonChat.joined('Jack'), { explain: (value) => explainLeak('Iris', value) })]);
      },
    },
    {
      id: 'unjoined-silent',
      needs: ['not-joined'],
      name: 'sends a client that has not joined nothing but the answers to its own messages',
      run: async (ctx) => {
        const cast = castFor(ctx, ['Lurker', 'Gina', 'Hal']);
        // Once its connection is open the server knows it: ws runs the 'connection' handler as it accepts.
        const lurker = cast.connect('Lurker');
        await lurker;
        ctx.note('Lurker is connected but has not joined. Gina and Hal join, talk, and Hal leaves.');
        const [gina, hal] = await cast.joinInTurn(['Gina', 'Hal']);
        await sayAndHear(hal!, 'Anyone else here?', [gina!, hal!]);
        await hal!.close(1000);
        await gina!.expectJson(jsonChat.left('Hal'));
        ctx.note('Now Lurker says something. Had it been sent any of that, it would arrive before the answer.');
        await lurker.send(jsonChat.say('Hello?')).expectJson(jsonChat.error('not-joined'), { explain: (value) => explainLeak('Lurker', value) });
        await Promise.all([joinChat(lurker, 'Lurker'), gina!.expectJson(jsonChat.joined('Lurker'))]);
      },
    },
    {
      id: 'leave-clean',
      name: 'tells the others when a user closes the connection',
      run: async (ctx) => {
        const [peggy, quinn, rupert] = await castFor(ctx, ['Peggy', 'Quincy', 'Rupert']).joinInTurn(['Peggy', 'Quincy', 'Rupert']);
        await quinn!.close(1000);
        await expectLeft(ctx, 'Quincy', [peggy!, rupert!]);
      },
    },
    {
      id: 'leave-abrupt',
      name: "tells the others when a user's connection drops without a close frame",
      run: async (ctx) => {
        const [sybil, trent, uma] = await castFor(ctx, ['Sybil', 'Trent', 'Uma']).joinInTurn(['Sybil', 'Trent', 'Uma']);
        await trent!.drop();
        await expectLeft(ctx, 'Trent', [sybil!, uma!], "Trent's connection dropped without a close frame (close code 1006): a leave all the same. ");
      },
    },
    {
      id: 'leave-unjoined',
      name: 'announces nothing when a client that never joined leaves',
      run: async (ctx) => {
        const cast = castFor(ctx, ['Xavier', 'Yara', 'Zoe', 'Ghost', 'Shade']);
        const [xavier, yara] = await cast.joinInTurn(['Xavier', 'Yara']);
        const leaveAndJoin = async () => {
          await cast.connect('Ghost').close(1000);
          await cast.connect('Shade').send(jsonChat.say('boo')).expectJson(jsonChat.error('not-joined')).drop();
          ctx.note("Ghost and Shade never joined, and have gone. Zoe joins: any notice about them would reach Xavier and Yara before Zoe's.");
          const quiet = (value: unknown) => (jsonType(value) === 'left' ? UNJOINED_LEFT : undefined);
          await Promise.all([cast.join('Zoe'), ...[xavier!, yara!].map((user) => user.expectJson(jsonChat.joined('Zoe'), { explain: quiet }))]);
        };
        await ctx.keepsServing(leaveAndJoin(), 'a client that never joined left', UNJOINED_LEFT);
      },
    },
    {
      id: 'sender-order',
      needs: ['message'],
      name: "keeps each sender's messages in order, with increasing ids",
      run: async (ctx) => {
        const [mia, noah, olivia] = await castFor(ctx, ['Mia', 'Noah', 'Olivia']).joinInTurn(['Mia', 'Noah', 'Olivia']);
        const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1} of 30`);
        for (const text of lines) mia!.send(jsonChat.say(text));
        await Promise.all(
          [mia!, noah!, olivia!].map(async (user) => {
            let lastId = -Infinity;
            for (const text of lines) {
              const copy = await user.nextJson(jsonChat.message('Mia', text), {
                explain: (value) =>
                  isJsonObject(value) && lines.includes(value.text as string) ? outOfOrder(text, value.text as string) : explainMessage(text, value),
              });
              if ((copy.id as number) <= lastId) throw idFailure(lastId + 1, copy.id as number, 'Mia', text);
              lastId = copy.id as number;
            }
          }),
        );
      },
    },
    loadCheck(leeway),
  ];
}

// ---- building blocks ---------------------------------------------------------------------

/** A check that sends `inputs` from a joined user, then proves the user and the other one are served as before. */
function errorCheck(leeway: JsonChatLeeway, options: { id: string; name: string; cast: [string, string]; inputs: BadInput[]; what: string }): ServerCheck {
  return {
    id: options.id,
    name: options.name,
    needs: ['message'],
    run: async (ctx) => {
      const [sender, other] = options.cast;
      const [offender, watcher] = await jsonChatCast(ctx, options.cast, leeway).joinInTurn([sender, other]);
      await ctx.keepsServing(refuseEach(offender!, options.inputs), `${sender} sent ${options.what}`, NEVER_TRUST);
      ctx.note(`${sender} says something good now: it must reach both, and ${other}'s first message must be it (nothing about the errors).`);
      await sayAndHear(offender!, 'Sorry, my mistake.', [watcher!, offender!]);
    },
  };
}

const loadLine = (n: number) => `message ${n} of ${LOAD_MESSAGES}`;
const LOAD_LINE = /^message (\d+) of \d+$/;

/** The load check (chat-load.ts) in this protocol: every user gets every message, its own too, ids increasing. */
function loadCheck(leeway: JsonChatLeeway): ServerCheck {
  const protocol: LoadProtocol = {
    join: (ctx, names) => {
      const cast = jsonChatCast(ctx, names, leeway);
      return names.map((name) => cast.join(name));
    },
    line: (n) => jsonChat.say(loadLine(n)),
    toSender: true,
    read: (message) => {
      const value = message.isBinary ? undefined : parseMessage(message.text);
      if (!value) return undefined;
      if (value.type === 'joined' && typeof value.name === 'string') return { joined: value.name };
      const number = typeof value.text === 'string' ? LOAD_LINE.exec(value.text)?.[1] : undefined;
      if (value.type !== 'message' || typeof value.from !== 'string' || number === undefined || !Number.isInteger(value.id)) return undefined;
      return { from: value.from, number: Number(number), id: value.id as number };
    },
    explainWrong: (_receiver, message) => (message.isBinary ? 'The protocol is JSON in text frames: send JSON.stringify(message), a string.' : undefined),
    describe: ({ from, number }) => `{"type":"message","from":${JSON.stringify(from)},"text":${JSON.stringify(loadLine(number))},…}`,
    outOfOrder: (from, due, got) => `${from}'s ${outOfOrder(loadLine(due), loadLine(got))}`,
  };
  return {
    id: 'load',
    needs: ['message', 'sender-order', 'unjoined-silent'],
    name: loadCheckName(protocol),
    run: (ctx) => runLoad(ctx, protocol),
  };
}

function parseMessage(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

async function expectLeft(ctx: ServerCheckContext, name: string, others: ScriptedClient[], how = ''): Promise<void> {
  ctx.note(`${name} has gone; every remaining joined user must be told.`);
  await explained(
    Promise.all(others.map((user) => user.expectJson(jsonChat.left(name)))),
    `{"type":"left","name":${JSON.stringify(name)}} must reach every remaining joined user. ${how}` +
      "Remove the user in the connection's 'close' handler, which ws runs however the connection ends, and tell the others there.",
  );
}

// ---- explanations ------------------------------------------------------------------------

const KEEP_OPEN =
  'An error reply leaves the connection open: send the error to that client and return, without closing the socket. The next ' +
  'message may well be a good one.';

/** Explains a failure that came from the connection being closed after an error reply. */
const keptOpen = (failure: CheckFailure) => (/closed first|already closed|was not open/.test(failure.message) ? KEEP_OPEN : undefined);

const NEVER_TRUST =
  'A server never trusts its input. Parse inside try/catch into a value of type unknown, and check it step by step with type guards ' +
  '(an object? a string type? each field of the right type and length?) before using anything in it; an exception in the message ' +
  'handler stops the server for everyone.';

const UNJOINED_LEFT =
  "A client that never joined has left, and the server announced it or stumbled over it. In the 'close' handler, look the user " +
  'up first: a connection that never joined has no name and nothing to announce.';

const usersRule =
  'The welcome lists the OTHER joined users, in the order they joined (a Map keeps its insertion order), and the users already there ' +
  'each receive {"type":"joined","name":…} about the newcomer.';

const FREED = "A name becomes free when its user leaves: remove the user in the 'close' handler, and compare names only with users still there.";

const OBJECT_KEYS =
  'Names are data, and any string is a name: "toString", "constructor" and "__proto__" too. A plain object used as a map already ' +
  'has those keys (from Object.prototype); keep users in a Map or a Set.';

function takenExplanation(typed: string): string {
  return (
    `${JSON.stringify(typed)} was let in while Tara is here. Names are unique case-insensitively: trim the name, then compare ` +
    'name.toLowerCase() with the lower-cased names of the joined users, and answer "name-taken".'
  );
}

function explainLeak(receiver: string, value: unknown): string | undefined {
  if (jsonType(value) === 'error') return `${receiver} received an error meant for another client. An error goes only to the client whose message was refused.`;
  if (jsonType(value) === 'message' || jsonType(value) === 'joined' || jsonType(value) === 'left') {
    return `A message reached ${receiver} that it must not get: chat lines and notices go only to joined users, and nothing comes of a refused message.`;
  }
  return undefined;
}

/** Names the mistake when `input` was answered with `value` instead of its error. */
function explainRefusal(input: BadInput, value: unknown): string | undefined {
  const shown = describeInput(input);
  if (jsonType(value) === 'error' && isJsonObject(value)) return `${shown} is "${input.code}", not ${JSON.stringify(value.code)}: ${input.why}`;
  if (jsonType(value) !== undefined) return `${shown} must be refused with "${input.code}": ${input.why}`;
  return undefined;
}

function describeInput(input: BadInput): string {
  if (input.shown) return input.shown;
  return typeof input.frame === 'string' ? JSON.stringify(input.frame) : 'a binary frame';
}

function idFailure(expected: number, got: number, sender: string, text: string): CheckFailure {
  return new CheckFailure(`${sender}'s message ${JSON.stringify(text)} had the id ${got}; ${expected} was due.`, {
    expected: `id ${expected}`,
    received: `id ${got}`,
    explanation:
      'Ids are one sequence for the whole server: keep one counter (let lastId = 0), and give each chat line ++lastId as the server ' +
      'handles it, whoever sent it. The first chat line of a server is 1. A counter per connection starts again at 1 for every user.',
  });
}

function outOfOrder(due: string, got: string): string {
  return (
    `messages arrived out of order (${JSON.stringify(got)} came when ${JSON.stringify(due)} was due). Messages from one user ` +
    'must reach every receiver in the order they were sent: pass each one on as it arrives, without waiting on anything that can ' +
    'finish in a different order.'
  );
}
