import {
  type BadInput,
  CheckFailure,
  defineLesson,
  explained,
  type Fields,
  jsonChat,
  type JsonChatCast,
  jsonChatCast,
  jsonProtocolChecks,
  runJsonChatDemo,
  like,
  joinChat,
  refuseEach,
  robustnessChecks,
  sayAndHear,
  type ScriptedClient,
  type ServerCheckContext,
  servedByJsonChat,
} from '../../checker/lesson-api.ts';

/**
 * Lesson 10: rooms on the lesson 09 protocol. Every check but the first has rooms of its own
 * (named after the check), so the checks share one server and still see exact `users` lists
 * and histories.
 */

const HISTORY_LENGTH = 50;

/** The lesson 09 checks that hold here as they are (in the room "general"). */
const REUSED = ['message', 'bad-json', 'unknown-type', 'bad-text', 'bad-name', 'not-joined', 'already-joined', 'unjoined-silent', 'leave-abrupt'];

/** The fields of a chat message kept in a room's history. */
const historic = (from: string, text: string, room: string): Fields => ({ type: 'message', id: like.integer, from, text, at: like.integer, room });

/** The cast's users, joining rooms. */
function roomsCast(ctx: ServerCheckContext, names: string[]) {
  const cast = jsonChatCast(ctx, names);
  return {
    ...cast,
    /**
     * Opens `name`'s client and joins `room`; `welcome` adds what the welcome must hold (users,
     * history), and `explain` names a mistake of the check's own first.
     */
    joinRoom: (name: string, room: string, welcome: Fields = {}, explain?: (value: unknown) => string | undefined) =>
      cast.join(name, {
        fields: { room },
        welcome: { room, ...welcome },
        joined: { room },
        explain: (value) => explain?.(value) ?? explainRoomWelcome(room, welcome)(value),
      }),
    /** Joins `names` into `room` one after another, each earlier one hearing of each later one. */
    joinRoomInTurn: (names: string[], room: string) => joinInTurn(cast, names, room),
  };
}

async function joinInTurn(cast: JsonChatCast, names: string[], room: string): Promise<ScriptedClient[]> {
  return cast.joinInTurn(names, { fields: { room }, welcome: { room }, joined: { room }, explain: explainRoomWelcome(room, {}) });
}

/** `user` switches to `room` and must be welcomed there with `welcome`'s fields. */
function switchRoom(user: ScriptedClient, room: string, welcome: Fields = {}): ScriptedClient {
  return user.send(JSON.stringify({ type: 'switch', room })).expectJson(jsonChat.welcome(user.name, { room, ...welcome }), {
    explain: (value) =>
      typeOf(value) === 'error'
        ? `The switch to "${room}" was a good one: "${room}" is a room name, and ${user.name} was in another room.`
        : explainRoomWelcome(room, welcome)(value),
  });
}

const rooms = (): string => JSON.stringify({ type: 'rooms' });
const whisper = (to: string, text: string): string => JSON.stringify({ type: 'whisper', to, text });

export default defineLesson({
  kind: 'server',
  checks: [
    {
      id: 'default-room',
      fresh: true,
      name: 'puts a user who names no room in "general", with the room, its users and its (empty) history in the welcome',
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Alice', 'Bob']);
        const firstWelcome = { room: 'general', users: [], history: [] };
        const alice = cast.join('Alice', { welcome: firstWelcome, explain: explainRoomWelcome('general', firstWelcome) });
        await explained(alice, 'A join without a room goes to "general"; the welcome gains "room" and "history".');
        const bob = cast.joinRoom('Bob', 'general', { users: ['Alice'], history: [] });
        alice.expectJson(jsonChat.joined('Bob', { room: 'general' }));
        await Promise.all([bob, alice]);
        await sayAndHear(alice, 'Hi, Bob!', [alice, bob], { fields: { room: 'general' } });
      },
    },
    {
      id: 'rooms-apart',
      needs: ['default-room'],
      name: 'keeps joins, messages and leaves inside their room',
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Ada', 'Ben', 'Cy', 'Di']);
        const red = 'apart-red';
        const blue = 'apart-blue';
        const ada = cast.joinRoom('Ada', red, { users: [], history: [] });
        await ada;
        const cy = cast.joinRoom('Cy', blue, { users: [], history: [] });
        await cy;
        ctx.note("Cy is in another room: Ada's next message must be the notice of Ben joining her room, not of Cy.");
        const ben = cast.joinRoom('Ben', red, { users: ['Ada'], history: [] });
        await Promise.all([ben, expectInRoom(ada, jsonChat.joined('Ben', { room: red }), red)]);
        const di = cast.joinRoom('Di', blue, { users: ['Cy'], history: [] });
        await Promise.all([di, expectInRoom(cy, jsonChat.joined('Di', { room: blue }), blue)]);
        await sayAndHear(ada, 'Red here.', [ada, ben], { fields: { room: red } });
        await sayAndHear(cy, 'Blue here.', [cy, di], { fields: { room: blue } });
        await di.close(1000);
        await expectInRoom(cy, jsonChat.left('Di', { room: blue }), blue);
        ctx.note("Ben talks in red: the next message Ada and Ben get must be his, nothing from blue's talk or Di's leaving.");
        ben.send(jsonChat.say('Still red.'));
        await Promise.all([ada, ben].map((user) => expectInRoom(user, jsonChat.message('Ben', 'Still red.', { room: red }), red)));
      },
    },
    {
      id: 'room-names',
      needs: ['default-room'],
      name: 'takes room names of 1 to 32 characters of a-z, 0-9 and -, and answers any other with "bad-field"',
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Eli', 'Flo']);
        const flo = cast.connect('Flo');
        const goodRoom = 'names-ok';
        const badRooms: unknown[] = ['Red', 'two words', '', 'r'.repeat(33), 'café', 'under_score', 'slash/room', 42, ['general']];
        const refusal = (room: unknown): BadInput => ({ frame: jsonChat.join('Flo', { room: room as string }), code: 'bad-field', why: ROOM_RULE });
        await refuseEach(flo, badRooms.map(refusal));
        ctx.note('Flo was refused every time, so Flo has not joined yet and can join now; Eli then tries the edge cases of good names.');
        await joinChat(flo, 'Flo', { fields: { room: goodRoom }, welcome: { room: goodRoom } });
        const eli = cast.joinRoom('Eli', 'n');
        await eli;
        for (const room of ['0', '-', 'a-b-0-9', `n${'x'.repeat(31)}`]) await switchRoom(eli, room);
        await refuseEach(
          eli,
          badRooms.slice(0, 6).map((room): BadInput => ({ frame: JSON.stringify({ type: 'switch', room }), code: 'bad-field', why: ROOM_RULE })),
        );
        await sayAndHear(eli, 'Still in the last good room.', [eli], { fields: { room: `n${'x'.repeat(31)}` } });
      },
    },
    {
      id: 'switch',
      needs: ['rooms-apart'],
      name: 'switches rooms: "left" to the old room, a new welcome with the new room\'s users and history, "joined" to the new room',
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Eve', 'Fay', 'Gus']);
        const [from, to] = ['switch-from', 'switch-to'];
        const [eve, fay] = await cast.joinRoomInTurn(['Eve', 'Fay'], from);
        const gus = cast.joinRoom('Gus', to, { users: [] });
        await gus;
        await sayAndHear(gus, 'Before you came.', [gus], { fields: { room: to } });
        ctx.note(`Eve switches from "${from}" to "${to}".`);
        switchRoom(eve, to, { users: ['Gus'], history: [historic('Gus', 'Before you came.', to)] });
        await explained(
          Promise.all([eve, expectInRoom(fay, jsonChat.left('Eve', { room: from }), from), expectInRoom(gus, jsonChat.joined('Eve', { room: to }), to)]),
          SWITCH_RULE,
        );
        await sayAndHear(eve, 'Hello, new room.', [eve, gus], { fields: { room: to } });
        ctx.note(`Fay talks in "${from}": Eve has left it, so her next message must be Gus's, after this.`);
        await sayAndHear(fay, 'Anyone left?', [fay], { fields: { room: from } });
        await sayAndHear(gus, 'Only us here.', [gus, eve], { fields: { room: to } });
      },
    },
    {
      id: 'switch-same-room',
      needs: ['switch'],
      name: 'answers a switch to the room the user is in with "bad-field", and changes nothing',
      run: async (ctx) => {
        const [hal, ivy] = await roomsCast(ctx, ['Hal', 'Ivy']).joinRoomInTurn(['Hal', 'Ivy'], 'same-room');
        await refuseEach(hal, [
          {
            frame: JSON.stringify({ type: 'switch', room: 'same-room' }),
            code: 'bad-field',
            why: 'switching to the room the user is in already is "bad-field".',
          },
        ]);
        ctx.note('Hal is still in the room, and Ivy has heard nothing of the refused switch.');
        await sayAndHear(hal, 'Still here.', [ivy, hal], { fields: { room: 'same-room' } });
      },
    },
    {
      id: 'history',
      needs: ['rooms-apart'],
      name: `welcomes a newcomer with the room's last ${HISTORY_LENGTH} messages, oldest first, and none of another room's`,
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Jo', 'Kim', 'Lu']);
        const room = 'history-room';
        const jo = cast.joinRoom('Jo', room);
        await jo;
        const kim = cast.joinRoom('Kim', 'history-other');
        await kim;
        const texts = Array.from({ length: HISTORY_LENGTH + 5 }, (_, i) => `history ${i + 1}`);
        for (const [index, text] of texts.entries()) {
          jo.send(jsonChat.say(text));
          if (index === 20) kim.send(jsonChat.say('Elsewhere.'));
        }
        for (const text of texts) jo.expectJson(jsonChat.message('Jo', text, { room }));
        kim.expectJson(jsonChat.message('Kim', 'Elsewhere.', { room: 'history-other' }));
        await Promise.all([jo, kim]);
        ctx.note(`Jo has said ${texts.length} things in "${room}" (and Kim one in another room). Lu joins "${room}".`);
        const kept = texts.slice(-HISTORY_LENGTH);
        await cast.joinRoom('Lu', room, { users: ['Jo'], history: kept.map((text) => historic('Jo', text, room)) }, (value) => explainHistory(value, kept));
      },
    },
    {
      id: 'history-kept',
      needs: ['switch'],
      name: "keeps a room's history when the room empties",
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Mo', 'Nia']);
        const room = 'kept-room';
        const mo = cast.joinRoom('Mo', room);
        await mo;
        const texts = ['first', 'second', 'third'];
        for (const text of texts) await sayAndHear(mo, text, [mo], { fields: { room } });
        await switchRoom(mo, 'kept-away');
        ctx.note(`Mo has left "${room}", which is empty now. Nia joins it: its history must still be there.`);
        const forgotten = (value: unknown) => {
          const history = field(value, 'history');
          return Array.isArray(history) && history.length === 0
            ? 'A room keeps its history for the life of the server, also while nobody is in it: do not delete a room when it empties.'
            : undefined;
        };
        await cast.joinRoom('Nia', room, { users: [], history: texts.map((text) => historic('Mo', text, room)) }, forgotten);
      },
    },
    {
      id: 'rooms-list',
      needs: ['switch'],
      name: 'answers "rooms" with the rooms that have users, sorted by name, each with its number of users',
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Ole', 'Pam', 'Rex', 'Sue']);
        const ole = cast.joinRoom('Ole', 'list-b');
        await ole;
        const [pam, rex] = await cast.joinRoomInTurn(['Pam', 'Rex'], 'list-a');
        const sue = cast.joinRoom('Sue', 'list-c');
        await sue;
        await expectRooms(pam!, [
          { name: 'list-a', users: 2 },
          { name: 'list-b', users: 1 },
          { name: 'list-c', users: 1 },
        ]);
        await sayAndHear(sue, 'Leaving soon.', [sue], { fields: { room: 'list-c' } });
        await switchRoom(sue, 'list-a', { users: ['Pam', 'Rex'] });
        ctx.note('"list-c" is empty now (it keeps its history, but has no users): it is not listed.');
        await Promise.all([pam!, rex!].map((user) => user.expectJson(jsonChat.joined('Sue', { room: 'list-a' }))));
        await expectRooms(ole, [
          { name: 'list-a', users: 3 },
          { name: 'list-b', users: 1 },
        ]);
        await rex!.close(1000);
        await Promise.all([pam!, sue].map((user) => user.expectJson(jsonChat.left('Rex', { room: 'list-a' }))));
        await expectRooms(sue, [
          { name: 'list-a', users: 2 },
          { name: 'list-b', users: 1 },
        ]);
      },
    },
    {
      id: 'whisper',
      needs: ['rooms-apart'],
      name: 'delivers a whisper to one user, in any room, and acknowledges it to the sender; nobody else hears it',
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Uma', 'Vic', 'Wes', 'Xia']);
        const [uma, wes] = await cast.joinRoomInTurn(['Uma', 'Wes'], 'whisper-a');
        const [vic, xia] = await cast.joinRoomInTurn(['Vic', 'Xia'], 'whisper-b');
        const text = '  psst, over here  ';
        uma!.send(whisper('Vic', text));
        await explained(
          Promise.all([
            vic!.expectJson({ type: 'whisper', from: 'Uma', text }, { explain: explainWhisper }),
            uma!.expectJson({ type: 'whisper', to: 'Vic', text }, { explain: explainWhisper }),
          ]),
          'Vic receives {"type":"whisper","from":"Uma","text":…}, wherever Vic is, and Uma {"type":"whisper","to":"Vic","text":…} as acknowledgement.',
        );
        ctx.note("Wes (in Uma's room) and Xia (in Vic's room) talk now: had either been sent the whisper, it would come before their own message.");
        const overheard = (value: unknown) =>
          typeOf(value) === 'whisper' ? 'A whisper goes to one user only, never to the room of the sender or of the receiver.' : undefined;
        wes!.send(jsonChat.say('Did someone say something?'));
        await Promise.all(
          [wes!, uma!].map((user) => user.expectJson(jsonChat.message('Wes', 'Did someone say something?', { room: 'whisper-a' }), { explain: overheard })),
        );
        xia!.send(jsonChat.say('Not to me.'));
        await Promise.all([xia!, vic!].map((user) => user.expectJson(jsonChat.message('Xia', 'Not to me.', { room: 'whisper-b' }), { explain: overheard })));
      },
    },
    {
      id: 'whisper-unknown',
      needs: ['rooms-apart'],
      name: 'answers a whisper to nobody, or to a user who has left, with "no-such-user"',
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Yan', 'Zia']);
        const [yan, zia] = await cast.joinRoomInTurn(['Yan', 'Zia'], 'whisper-gone');
        await refuseEach(yan!, [{ frame: whisper('Nobody', 'hello?'), code: 'no-such-user', why: 'nobody of that name has joined.' }]);
        await zia!.close(1000);
        await yan!.expectJson(jsonChat.left('Zia', { room: 'whisper-gone' }));
        await refuseEach(yan!, [
          { frame: whisper('Zia', 'still there?'), code: 'no-such-user', why: 'Zia has left: a user who leaves is gone from every list.' },
        ]);
      },
    },
    {
      id: 'bad-fields',
      needs: ['rooms-apart'],
      name: 'answers a switch or a whisper without its fields with "bad-field", and switch and whisper before join with "not-joined"',
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Abe', 'Bo', 'Cass']);
        const [abe, bo] = await cast.joinRoomInTurn(['Abe', 'Bo'], 'fields-room');
        const field = (frame: object, why: string): BadInput => ({ frame: JSON.stringify(frame), code: 'bad-field', why });
        await refuseEach(abe!, [
          field({ type: 'switch' }, 'a switch needs a "room".'),
          field({ type: 'switch', room: 5 }, '"room" must be a string.'),
          field({ type: 'whisper', text: 'hi' }, 'a whisper needs "to".'),
          field({ type: 'whisper', to: 5, text: 'hi' }, '"to" must be a string.'),
          field({ type: 'whisper', to: 'Bo' }, 'a whisper needs a "text".'),
          field({ type: 'whisper', to: 'Bo', text: '' }, '"text" must have 1 to 1000 characters.'),
          field({ type: 'whisper', to: 'Bo', text: 'x'.repeat(1001) }, '"text" must have 1 to 1000 characters.'),
        ]);
        const cass = cast.connect('Cass');
        await refuseEach(cass, [
          { frame: JSON.stringify({ type: 'switch', room: 'fields-room' }), code: 'not-joined', why: 'only a joined user can switch rooms.' },
          { frame: whisper('Bo', 'hi'), code: 'not-joined', why: 'only a joined user can whisper.' },
        ]);
        ctx.note('Bo has been sent nothing of all that: the next message Bo gets must be this one.');
        await sayAndHear(abe!, 'All good now.', [bo!, abe!], { fields: { room: 'fields-room' } });
      },
    },
    {
      id: 'unique-names',
      needs: ['rooms-apart'],
      name: 'keeps names unique across all rooms',
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Dot', 'Ezra']);
        await cast.joinRoom('Dot', 'unique-a');
        const ezra = cast.connect('Ezra');
        const taken = (name: string, room: string): BadInput => ({
          frame: jsonChat.join(name, { room }),
          code: 'name-taken',
          why: `Dot is in "unique-a": a name is unique across the whole server, whatever the room.`,
        });
        await refuseEach(ezra, [taken('Dot', 'unique-b'), taken('DOT', 'general'), taken(' dot ', 'unique-a')]);
      },
    },
    {
      id: 'ids-across-rooms',
      needs: ['rooms-apart'],
      name: 'numbers the messages of all rooms in one sequence',
      run: async (ctx) => {
        const cast = roomsCast(ctx, ['Fin', 'Gil']);
        const fin = cast.joinRoom('Fin', 'ids-a');
        await fin;
        const gil = cast.joinRoom('Gil', 'ids-b');
        await gil;
        const first = await sayAndHear(fin, 'one', [fin], { fields: { room: 'ids-a' } });
        const second = await sayAndHear(gil, 'two', [gil], { fields: { room: 'ids-b' } });
        const third = await sayAndHear(fin, 'three', [fin], { fields: { room: 'ids-a' } });
        if (second !== first + 1 || third !== first + 2) {
          throw new CheckFailure(`The messages "one", "two" and "three", said one after another in two rooms, had the ids ${first}, ${second} and ${third}.`, {
            expected: `${first}, ${first + 1} and ${first + 2}: one sequence for the whole server`,
            received: `${first}, ${second} and ${third}`,
            explanation: 'Ids stay one sequence for all rooms: keep one counter for the server, not one per room.',
          });
        }
      },
    },
    ...jsonProtocolChecks().filter((check) => REUSED.includes(check.id)),
    ...robustnessChecks(servedByJsonChat(), ['not-joined']),
  ],
  hints: [
    'Give each user its room: interface User { socket; name; room: Room } and interface Room { name; members: Set<User>; history: ChatMessage[] }, with a Map<string, Room> of every room ever used (make a room on first use, never delete it).',
    'In parse, a join\'s room is "general" when value.room is undefined, and otherwise must be a string matching /^[a-z0-9-]{1,32}$/; a switch needs such a room too. A whisper needs a string "to" and a text like a say\'s.',
    'Entering a room (on join and on switch) is three steps: send the welcome (the room, the names of its members, its history), send { type: "joined", name, room } to its members, then add the user to room.members.',
    'Leaving a room (on switch and on close) is: room.members.delete(user), then { type: "left", name, room } to the members still there. Switching to the room you are in is "bad-field".',
    "say: the message gains room: user.room.name, goes to the room's members only, and is pushed onto room.history; when the history holds more than 50, history.shift() drops the oldest. One lastId for all rooms.",
    'rooms: [...rooms.values()].filter((room) => room.members.size > 0).map((room) => ({ name: room.name, users: room.members.size })), sorted by name. whisper: find the user by name (names are unique case-insensitively); none is "no-such-user"; else { type: "whisper", from, text } to them and { type: "whisper", to, text } back.',
  ],
  demo: (port) => runJsonChatDemo('10', port, { rooms: true }),
});

const ROOM_RULE = 'a room name has 1 to 32 characters, each of a-z, 0-9 and -.';

const SWITCH_RULE =
  'On a switch the old room gets {"type":"left","name":…,"room":old}, the user a new welcome for the new room (its users and ' +
  'history), and the new room {"type":"joined","name":…,"room":new}.';

/** `user`'s next message must be `expected`, about `room`; a message about another room is named as such. */
function expectInRoom(user: ScriptedClient, expected: Fields, room: string): ScriptedClient {
  return user.expectJson(expected, {
    explain: (value) => {
      const other = roomOf(value);
      return other !== undefined && other !== room
        ? `${user.name} is in "${room}", yet received a message about "${other}". Joins, leaves and messages go only to the members of their room.`
        : undefined;
    },
  });
}

/** Names the mistake in a welcome to `room` that should hold `welcome`'s fields. */
function explainRoomWelcome(room: string, welcome: Fields): (value: unknown) => string | undefined {
  return (value) => {
    const other = roomOf(value);
    if (typeOf(value) !== 'welcome') {
      return other !== undefined && other !== room
        ? `The newcomer to "${room}" received a message about "${other}". Joins, leaves and messages go only to the members of their room.`
        : undefined;
    }
    if (other !== room) return `The welcome names the room the user is now in: "room": "${room}".`;
    const history = field(value, 'history');
    if (!Array.isArray(history)) return 'The welcome gains "history": the room\'s last 50 messages, oldest first ([] for a new room).';
    if (history.some((message) => roomOf(message) !== room)) return 'Each room has its own history: a message said in another room is not in it.';
    const users = field(value, 'users');
    const wanted = welcome.users;
    if (Array.isArray(users) && Array.isArray(wanted) && users.some((name) => !wanted.includes(name))) {
      return `The welcome's "users" are the other users in the room the user enters ("${room}"), not those of the whole server.`;
    }
    return undefined;
  };
}

/** Names the mistake in a welcome whose history should be `kept` (said by Jo), when it is not. */
function explainHistory(value: unknown, kept: string[]): string | undefined {
  const history = field(value, 'history');
  if (typeOf(value) !== 'welcome' || !Array.isArray(history)) return undefined;
  const texts = history.map((message) => field(message, 'text'));
  if (texts.includes('Elsewhere.')) return 'Each room has its own history: a message said in another room is not in it.';
  if (history.length > HISTORY_LENGTH) {
    return `The history holds ${history.length} messages: after pushing one, drop the oldest while it holds more than ${HISTORY_LENGTH} (history.shift()).`;
  }
  if (history.length < HISTORY_LENGTH) return `The history holds ${history.length} messages; it keeps the last ${HISTORY_LENGTH}.`;
  if (texts[0] === kept.at(-1)) return 'The history is oldest first: push new messages at the end, and drop the oldest from the front.';
  return undefined;
}

function explainWhisper(value: unknown): string | undefined {
  if (typeOf(value) === 'message') return 'A whisper is not a chat line: it goes as {"type":"whisper",…} to one user, not as a message to the room.';
  if (typeOf(value) === 'whisper')
    return 'The receiver gets {"type":"whisper","from":sender,"text":…}; the sender gets {"type":"whisper","to":receiver,"text":…} back.';
  return undefined;
}

/** The rooms of the check of the rooms list: other checks' rooms may be listed too, and are passed over. */
const LIST_ROOMS = 'list-';

/** `asker` asks for the rooms; the list, restricted to this check's rooms, must be `expected`. */
async function expectRooms(asker: ScriptedClient, expected: { name: string; users: number }[]): Promise<void> {
  const reply = await asker.send(rooms()).nextJson({ type: 'rooms', rooms: like.that('an array of { name, users }', (list) => Array.isArray(list)) });
  const list = reply.rooms as unknown[];
  const listed = list.filter((entry): entry is { name: string; users: unknown } => typeof field(entry, 'name') === 'string');
  const ours = listed.filter((entry) => entry.name.startsWith(LIST_ROOMS)).map((entry) => ({ name: entry.name, users: entry.users }));
  const empty = listed.filter((entry) => entry.users === 0).map((entry) => entry.name);
  if (empty.length > 0) {
    throw new CheckFailure(
      `${asker.name} asked for the rooms, and the list holds rooms nobody is in: ${empty.map((name) => JSON.stringify(name)).join(', ')}.`,
      {
        expected: 'only the rooms with at least one user',
        received: JSON.stringify(list).slice(0, 300),
        explanation: 'Only the rooms with at least one user are listed; an empty room keeps its history, but is left out of the list.',
      },
    );
  }
  if (JSON.stringify(ours) === JSON.stringify(expected) && listed.length === list.length) return;
  const sameRooms = JSON.stringify([...ours].sort(byName)) === JSON.stringify([...expected].sort(byName));
  throw new CheckFailure(`${asker.name} asked for the rooms, and the list is not right (among this check's rooms, "${LIST_ROOMS}…").`, {
    expected: JSON.stringify(expected),
    received: JSON.stringify(ours),
    explanation: sameRooms
      ? 'The rooms are sorted by name.'
      : 'The list holds the rooms with at least one user, each once, as { "name": …, "users": how many users are in it now }.',
  });
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function typeOf(value: unknown): unknown {
  return field(value, 'type');
}

function roomOf(value: unknown): string | undefined {
  const room = field(value, 'room');
  return typeof room === 'string' ? room : undefined;
}
